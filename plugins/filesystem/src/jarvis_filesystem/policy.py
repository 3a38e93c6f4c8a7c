"""The ``fs.path`` policy: inside the user's folder or a whitelisted one, nothing else."""

from __future__ import annotations

import asyncio

from jarvis import Decision, Policy, PolicyRequest, ToolContext, allow, deny, paths

from .places import fence, find, roots_of


class FsPathPolicy(Policy):
    """Allow paths that resolve inside the user's own folder or a whitelisted folder without
    leaving it (``..``, links out, other users' folders, hard links and NUL bytes are denied).
    The request's ``detail["op"]`` is list, read, write or delete."""

    resource = "fs.path"

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        op = str(request.detail.get("op", "read"))
        if not isinstance(request.value, str):
            return deny("the path must be text")
        roots = await roots_of(ctx)
        try:
            found = await asyncio.to_thread(
                lambda: find(request.value, ctx.user_folder, roots, fence(ctx), op))
        except paths.PathNotFound:
            return allow("missing: the tool reports it")  # nothing there to protect
        except paths.PathError as err:
            return deny(str(err))
        return allow(f"{found.label} is inside an allowed folder")
