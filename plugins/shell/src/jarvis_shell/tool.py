"""shell_run: one command on the server, for admins, confirmed every time, audited in full."""

from __future__ import annotations

from pathlib import Path

from jarvis import Tool, ToolContext, ToolResult
from pydantic import BaseModel, ConfigDict, Field

from . import process
from .settings import ShellSettings


class ShellInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    command: str = Field(min_length=1, max_length=10_000, description=(
        "the command line: a program and its arguments, quoted as in a shell"))
    timeout: float | None = Field(None, gt=0, description=(
        "seconds it may run (at most the server's limit; left out: that limit)"))


class ShellRun(Tool):
    name = "shell_run"
    group = "shell"
    description = ("Run a command on the Jarvis server (admins only; the admin confirms each "
                   "command). Returns its exit code and output.")
    Input = ShellInput
    admin_only = True  # never offered to other users
    allowed_in_scheduled_runs = False  # never in headless runs, whatever they are granted
    side_effect = True
    always_confirm = True
    settings: ShellSettings

    def describe(self, args: ShellInput) -> str:
        return f"run on the server: {args.command}"

    async def run(self, args: ShellInput, ctx: ToolContext) -> ToolResult:
        if not ctx.user.is_admin or ctx.run.headless:  # the runtime refuses first; twice is cheap
            return ToolResult.failure("shell_run is only for admins, in chat")
        limit = min(args.timeout or self.settings.timeout, self.settings.timeout)
        try:
            argv = process.argv(args.command, self.settings.shell_syntax)
        except ValueError as err:
            return ToolResult.failure(f"not run: {err}")
        cwd = Path(self.settings.working_dir) if self.settings.working_dir else ctx.user_folder
        cwd.mkdir(mode=0o700, parents=True, exist_ok=True)
        env = {"PATH": self.settings.path, "HOME": str(cwd), "LANG": "C.UTF-8"}
        try:
            done = await process.run(argv, cwd=cwd, limit=limit,
                                     cap=self.settings.max_output_bytes, env=env)
        except OSError as err:
            await ctx.audit("shell_command", f"not started: {err.strerror or err}",
                            success=False, command=args.command, cwd=str(cwd))
            return ToolResult.failure(f"not run: {err.strerror or err}: {argv[0]}")
        summary = _summary(done, limit)
        await ctx.audit("shell_command", summary, success=done.exit_code == 0,
                        command=args.command, cwd=str(cwd), exit_code=done.exit_code,
                        output_bytes=done.output_bytes, truncated=done.truncated,
                        timed_out=done.timed_out)
        text = done.output.decode("utf-8", errors="replace")
        if done.truncated:
            text += f"\n[output cut at {len(done.output)} of {done.output_bytes} bytes]"
        ok = done.exit_code == 0
        return ToolResult(ok=ok, content=f"{summary}\n{text}" if ok else "",
                          error=None if ok else f"{summary}\n{text}", summary=summary)


def _summary(done: process.Finished, limit: float) -> str:
    if done.timed_out:
        return (f"killed after {limit:g} s (time limit), {done.output_bytes} bytes of output")
    return f"exit code {done.exit_code}, {done.output_bytes} bytes of output"
