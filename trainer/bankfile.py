"""Which file a bank was read from, and as it was: what tells a later command whether to read it
again. Its own module so that commands over the review database alone (`due`, `stats`) know it
without importing the bank's model."""

from typing import NamedTuple


class BankFile(NamedTuple):
    """The file a bank was read from, as it was when read: its resolved path, its size,
    modification and change times from just before the read, and the digest of the bytes that
    were parsed. An edit saved during or after the read changes the stat, so the next command
    re-reads. The change time (ctime) matters: `touch -d`, `cp -p` and `rsync -t` put back an
    edited file's mtime (and an edit may keep its size), but no tool sets the ctime."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    """-1 in a record made before the ctime was kept: the digest decides."""
    digest: str

    @staticmethod
    def digest_of(data: bytes) -> str:
        import hashlib  # only when a bank is read or compared, not on every start

        return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()


DIGEST_SIZE = 16
