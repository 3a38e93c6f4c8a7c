"""Safe paths under a root, shared by the per-user files routes and the filesystem plugin."""

from .ops import (
    AtomicWriter,
    Entry,
    TooLarge,
    TreeItem,
    delete,
    list_dir,
    open_file,
    read_file,
    walk_tree,
    write_atomic,
)
from .quota import Quota, QuotaExceeded
from .resolve import (
    PathError,
    PathNotFound,
    Target,
    UnsafePath,
    WrongKind,
    below,
    check_single_link,
    kind_of,
    locate,
    resolve,
    split_path,
)

__all__ = [
    "AtomicWriter", "Entry", "PathError", "PathNotFound", "Quota", "QuotaExceeded", "Target",
    "TooLarge", "TreeItem",
    "UnsafePath", "WrongKind", "below", "check_single_link", "delete", "kind_of", "list_dir",
    "locate", "open_file", "read_file", "resolve", "split_path", "walk_tree", "write_atomic",
]
