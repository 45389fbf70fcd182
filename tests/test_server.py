"""``ecslint server`` end to end: a pytest-lsp client drives the real server over stdio.

And once with a real editor: Neovim, headless, attached to ``ecslint server``, reads the
diagnostics of a file it opened (skipped where nvim is not installed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
types = pytest.importorskip("lsprotocol.types")

from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

BAD = """{
  "family": "web",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": 256,
  "memory": "512",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "public.ecr.aws/nginx/nginx:1.27",
      "portMappings": [{"containerPort": 8080, "hostPort": 80}]
    }
  ]
}
"""
SERVER = [sys.executable, "-m", "ecslint", "server"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[*SERVER]))
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[LanguageClient]:
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri())
    )
    yield lsp_client
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=path.as_uri(), language_id="json", version=1, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[path.as_uri()])


@pytest.mark.asyncio
async def test_diagnostics_on_open_and_change(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "taskdef.json"
    diagnostics = await _open(client, path, BAD)
    by_code = {d.code: d for d in diagnostics}
    assert {"ECS011", "ECS601"} <= set(by_code)
    cpu = by_code["ECS011"]
    assert cpu.range.start == types.Position(line=4, character=9)  # the value 256
    assert cpu.range.end == types.Position(line=4, character=12)
    assert cpu.severity == types.DiagnosticSeverity.Error
    assert cpu.source == "ecslint"
    assert cpu.code_description is not None
    assert cpu.code_description.href.endswith("ECS011-wrong-type.md")

    fixed = BAD.replace('"cpu": 256', '"cpu": "256"')
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = {d.code for d in client.diagnostics[path.as_uri()]}
    assert "ECS011" not in codes and "ECS601" in codes


@pytest.mark.asyncio
async def test_code_actions_are_the_fixes(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ecslint.yaml").write_text("extend-select: [hardening]\n")  # ECS905 too
    path = tmp_path / "taskdef.json"
    diagnostics = await _open(client, path, BAD)
    host = next(d for d in diagnostics if d.code == "ECS601")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=host.range,
            context=types.CodeActionContext(diagnostics=[host]),
        )
    )
    assert actions is not None
    quick = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix"]
    by_title = {a.title: a for a in quick}
    # The container's ECS905 (its span holds the port mapping) has the unsafe fix.
    assert set(by_title) == {
        "Fix ECS601 (host-port-mismatch)",
        "Fix ECS905 (writable-root-filesystem) [unsafe: changes behaviour]",
    }
    action = by_title["Fix ECS601 (host-port-mismatch)"]
    unsafe = by_title["Fix ECS905 (writable-root-filesystem) [unsafe: changes behaviour]"]
    assert action.is_preferred and not unsafe.is_preferred
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes[path.as_uri()]
    assert edit.new_text == "8080"
    assert edit.range == host.range  # exactly the bytes of the hostPort value

    fix_all = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == "source.fixAll"]
    assert fix_all and fix_all[0].edit is not None and fix_all[0].edit.changes is not None
    (whole,) = fix_all[0].edit.changes[path.as_uri()]
    assert '"cpu": "256"' in whole.new_text and '"hostPort": 8080' in whole.new_text


@pytest.mark.asyncio
async def test_hover_shows_why(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "taskdef.json"
    diagnostics = await _open(client, path, BAD)
    cpu = next(d for d in diagnostics if d.code == "ECS011")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            position=cpu.range.start,
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**ECS011 wrong-type**" in hover.contents.value
    assert "**Why:** The AWS CLI and boto3 check types" in hover.contents.value


@pytest.mark.asyncio
async def test_workspace_config_applies(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ecslint.yaml").write_text("ignore: [ECS601]\n")
    path = tmp_path / "svc" / "taskdef.json"
    path.parent.mkdir()
    codes = {d.code for d in await _open(client, path, BAD)}
    assert "ECS011" in codes and "ECS601" not in codes


@pytest.mark.asyncio
async def test_yaml_cloudformation_and_terraform(client: LanguageClient, tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    cfn = (
        "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
        "      NetworkMode: awsvpc\n      ContainerDefinitions:\n        - Name: web\n"
        "          Image: !Ref Image\n          PortMappings:\n"
        "            - ContainerPort: 8080\n              HostPort: 80\n"
    )
    codes = {d.code for d in await _open(client, template, cfn)}
    assert "ECS601" in codes
    tf = tmp_path / "main.tf"
    hcl = (
        'resource "aws_ecs_task_definition" "web" {\n  family = "web"\n'
        '  network_mode = "awsvpc"\n  container_definitions = jsonencode([{\n'
        '    name = "web"\n    image = "nginx:1.27"\n'
        "    portMappings = [{ containerPort = 8080, hostPort = 80 }]\n  }])\n}\n"
    )
    codes = {d.code for d in await _open(client, tf, hcl)}
    assert "ECS601" in codes


@pytest.mark.asyncio
async def test_other_files_get_no_syntax_errors(client: LanguageClient, tmp_path: Path) -> None:
    """A broken file that is not a task definition is not ecslint's to report."""
    assert await _open(client, tmp_path / "docker-compose.yaml", "services: [\n") == []
    broken = await _open(client, tmp_path / "taskdef.json", '{"family": \n')
    assert [d.code for d in broken] == ["ECS002"]


# --- a real editor --------------------------------------------------------------------------

NVIM_SCRIPT = """
local done = false
vim.api.nvim_create_autocmd('DiagnosticChanged', {callback = function(args)
  local found = vim.diagnostic.get(args.buf)
  if #found > 0 and not done then
    done = true
    local out = {}
    for _, d in ipairs(found) do
      table.insert(out, {code = d.code, lnum = d.lnum, col = d.col, source = d.source})
    end
    vim.fn.writefile({vim.fn.json_encode(out)}, vim.env.ECSLINT_NVIM_OUT)
    vim.cmd('qall!')
  end
end})
-- The file is loaded after this script runs: attach once it is (VimEnter).
-- vim.lsp.start_client and buf_attach_client: Debian 12's Neovim is 0.7 (no vim.lsp.start).
vim.api.nvim_create_autocmd('VimEnter', {callback = function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'ecslint',
    cmd = vim.fn.json_decode(vim.env.ECSLINT_NVIM_CMD),
    root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':h'),
  })
  vim.lsp.buf_attach_client(bufnr, client)
end})
vim.defer_fn(function() vim.cmd('cquit 3') end, 20000)
"""


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim (nvim) is not installed")
def test_neovim_reads_the_diagnostics(tmp_path: Path) -> None:
    path = tmp_path / "taskdef.json"
    path.write_text(BAD)
    script = tmp_path / "init.lua"
    script.write_text(NVIM_SCRIPT)
    out = tmp_path / "diagnostics.json"
    env = {
        **os.environ,
        "ECSLINT_NVIM_OUT": str(out),
        "ECSLINT_NVIM_CMD": json.dumps(SERVER),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    result = subprocess.run(
        ["nvim", "--headless", "--clean", "-u", str(script), str(path)],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    found = json.loads(out.read_text())
    codes = {item["code"] for item in found}
    assert {"ECS011", "ECS601"} <= codes
    cpu = next(item for item in found if item["code"] == "ECS011")
    assert (cpu["lnum"], cpu["col"], cpu["source"]) == (4, 9, "ecslint")
