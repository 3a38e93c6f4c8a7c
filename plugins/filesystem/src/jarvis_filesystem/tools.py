"""The file tools: list, read, write and delete inside allowed folders."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from jarvis import PolicyRequest, Tool, ToolContext, ToolResult, paths
from pydantic import BaseModel, Field

from .places import Found, fence, find, roots_of
from .settings import FilesystemSettings

PATH_HELP = ("~/... (or a relative path) is your own folder; an absolute path must lie in a "
             "whitelisted folder")
BINARY_SNIFF = 8192
T = TypeVar("T")


class PathInput(BaseModel):
    path: str = Field("~", min_length=1, max_length=4096, description=PATH_HELP)


class ReadInput(BaseModel):
    path: str = Field(min_length=1, max_length=4096, description=PATH_HELP)


class WriteInput(ReadInput):
    content: str = Field(description="The whole new text of the file")
    overwrite: bool = Field(True, description="Replace the file if it exists")


class DeleteInput(ReadInput):
    recursive: bool = Field(False, description="Also delete a folder that is not empty")


class FileTool(Tool):
    """Shared parts: the policy request and finding the path again when running."""

    group = "filesystem"
    reads_untrusted = True
    settings: FilesystemSettings

    @property
    def op(self) -> str:
        """What the tool does to its path (``fs_read``: ``read``), as the policy sees it."""
        return self.name.removeprefix("fs_")

    def policy_requests(self, args: Any) -> list[PolicyRequest]:
        return [PolicyRequest("fs.path", args.path, detail={"op": self.op})]

    async def find(self, path: str, ctx: ToolContext) -> Found:
        roots = await roots_of(ctx)
        return await asyncio.to_thread(
            lambda: find(path, ctx.user_folder, roots, fence(ctx), self.op))

    async def on_path(self, path: str, ctx: ToolContext, work: Callable[..., T],
                      *args: Any, **kwargs: Any) -> tuple[Found, T]:
        """The path found, and ``work(root, relative, *args, **kwargs)`` on it in a thread."""
        found = await self.find(path, ctx)
        return found, await asyncio.to_thread(work, found.place.root, found.relative, *args,
                                              **kwargs)

    async def run(self, args: Any, ctx: ToolContext) -> ToolResult:
        try:
            return await self.act(args, ctx)
        except paths.PathError as err:
            return ToolResult.failure(str(err))
        except OSError as err:
            return ToolResult.failure(f"{args.path}: {err.strerror or err}")

    async def act(self, args: Any, ctx: ToolContext) -> ToolResult:
        raise NotImplementedError


class ChangingFileTool(FileTool):
    """A tool that changes files: a side effect the user confirms every time."""

    side_effect = True
    always_confirm = True
    reads_untrusted = False


class FsList(FileTool):
    name = "fs_list"
    description = "List a folder: your own (~) or a whitelisted one. Shows names, kinds and sizes."
    Input = PathInput

    async def act(self, args: PathInput, ctx: ToolContext) -> ToolResult:
        found, (_rel, entries) = await self.on_path(args.path, ctx, paths.list_dir)
        shown = entries[: self.settings.max_entries]
        lines = [f"{found.label}:"]
        for e in shown:
            lines.append(f"  {e.name}/" if e.kind == "dir" else
                         f"  {e.name} ({e.size} bytes)" if e.kind == "file" else
                         f"  {e.name} [{e.kind}]")
        if not entries:
            lines.append("  (empty)")
        if len(entries) > len(shown):
            lines.append(f"  ... and {len(entries) - len(shown)} more")
        return ToolResult(content="\n".join(lines),
                          summary=f"listed {found.label} ({len(entries)} entries)")


class FsRead(FileTool):
    name = "fs_read"
    description = "Read a text file from your own folder (~) or a whitelisted one."
    Input = ReadInput

    async def act(self, args: ReadInput, ctx: ToolContext) -> ToolResult:
        cap = self.settings.max_read_bytes
        found, (data, size, _rel) = await self.on_path(args.path, ctx, paths.read_file, cap)
        if b"\x00" in data[:BINARY_SNIFF]:
            return ToolResult.failure(f"{found.label} is a binary file, not text")
        text = data.decode("utf-8", errors="replace")
        if size > len(data):
            text += f"\n\n[only the first {cap} of {size} bytes were read]"
        return ToolResult(content=text, summary=f"read {found.label} ({size} bytes)")


class FsWrite(ChangingFileTool):
    name = "fs_write"
    description = ("Write a text file (the whole content) in your own folder (~) or a "
                   "whitelisted one; missing folders are created. Asks the user first.")
    Input = WriteInput

    def describe(self, args: WriteInput) -> str:
        return f"write {len(args.content)} characters to {args.path}"

    async def act(self, args: WriteInput, ctx: ToolContext) -> ToolResult:
        data = args.content.encode("utf-8")
        if len(data) > self.settings.max_write_bytes:
            return ToolResult.failure(f"the content is over {self.settings.max_write_bytes} bytes")
        found = await self.find(args.path, ctx)
        if found.exists and not args.overwrite:
            return ToolResult.failure(f"{found.label} exists and overwrite is false")
        quota = ctx.user_quota if found.place.own else None  # the user's folder counts
        relative, size = await asyncio.to_thread(
            paths.write_atomic, found.place.root, found.relative, data,
            limit=self.settings.max_write_bytes, make_parents=True, quota=quota)
        label = found.place.shown(relative)
        return ToolResult(content=f"wrote {size} bytes to {label}", summary=f"wrote {label}")


class FsDelete(ChangingFileTool):
    name = "fs_delete"
    description = ("Delete a file or folder (recursive=true for one that is not empty) in your "
                   "own folder (~) or a whitelisted one; a link is removed, not its target. "
                   "Asks the user first.")
    Input = DeleteInput

    def describe(self, args: DeleteInput) -> str:
        return f"delete {args.path}" + (" and everything in it" if args.recursive else "")

    async def act(self, args: DeleteInput, ctx: ToolContext) -> ToolResult:
        found, (_rel, kind) = await self.on_path(args.path, ctx, paths.delete,
                                                 recursive=args.recursive)
        what = {"dir": "folder", "link": "link"}.get(kind, "file")
        return ToolResult(content=f"deleted the {what} {found.label}",
                          summary=f"deleted {found.label}")


TOOLS = [FsList, FsRead, FsWrite, FsDelete]
