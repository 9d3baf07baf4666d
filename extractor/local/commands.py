"""`extractor local fetch|status|serve`: manage the embedded local model from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from extractor.errors import ExtractorError
from extractor.local.model import ensure_model
from extractor.local.server import running_server, status_lines

__all__ = ["local"]


@click.group()
def local() -> None:
    """Manage the embedded local model (needs: pip install 'ccg-extractor[local]')."""


@local.command("fetch")
def local_fetch() -> None:
    """Download, assemble and verify the default model into the cache."""
    try:
        path = ensure_model(console=Console(stderr=True))
    except ExtractorError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(str(path))


@local.command("status")
def local_status() -> None:
    """Show whether the server package and the verified model are present."""
    for line in status_lines():
        click.echo(line)


@local.command("serve")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (0 = a free one)."
)
@click.option(
    "--model-path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Serve this GGUF file.",
)
def local_serve(port: int, model_path: Path | None) -> None:
    """Serve the local model on 127.0.0.1 until Ctrl-C (for OPENAI_BASE_URL); if the server
    exits on its own, say how and exit with code 1."""
    console = Console(stderr=True)
    try:
        # The exit is reported below, once `wait` returns, not by the server's watcher.
        with running_server(
            model_path=model_path, port=port or None, console=console, on_exit=lambda how: None
        ) as server:
            console.print(f"serving {server.model_name} at {server.base_url} (Ctrl-C stops)")
            console.print(
                f"  export OPENAI_BASE_URL={server.base_url} EXTRACTOR_MODEL={server.model_name}"
            )
            server.wait()
    except KeyboardInterrupt:
        console.print("stopped")
        return
    except ExtractorError as exc:
        raise click.ClickException(exc.message) from None
    raise click.ClickException(f"the local model server {server.exit_report()}")
