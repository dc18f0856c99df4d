"""`python build.py deploy` against a real bare repository as the remote, and the Pages workflow through actionlint."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.tools import require_tool
from waraqa.cli import main
from waraqa.config import Config
from waraqa.deploy import github_pages_url, warn_about_base_url

PROJECT = Path(__file__).resolve().parents[1]
WORKFLOW = PROJECT / ".github" / "workflows" / "pages.yml"
CHECK_WORKFLOW = PROJECT / ".github" / "workflows" / "check.yml"

SHEET = """---
title: "قمة تجريبية"
date: 2025-08-15
summary: "ورقة قصيرة للاختبار."
---

نص الورقة.
"""


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` and return its output; fail the test when git fails."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give git an identity and no global or system config, so the tests do not depend on this machine."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Editor")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "editor@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def make_project(tmp_path: Path, *, subfolder: str = "", toml: str = "") -> tuple[Path, Path, Path]:
    """Return (repository, site folder, bare remote): a committed one-sheet site whose remote 'origin' is empty."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    repo = tmp_path / "work"
    repo.mkdir()
    git(repo, "init", "--quiet", "-b", "main")
    site = repo / subfolder if subfolder else repo
    (site / "content").mkdir(parents=True)
    (site / "content" / "test-summit.md").write_text(SHEET, encoding="utf-8")
    shutil.copytree(PROJECT / "templates", site / "templates")
    (site / "waraqa.toml").write_text(f'title = "موقع تجريبي"\n{toml}', encoding="utf-8")
    (repo / ".gitignore").write_text("output/\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "The site")
    git(repo, "remote", "add", "origin", str(remote))
    return repo, site, remote


def deploy(site: Path, capsys: pytest.CaptureFixture, *options: str) -> tuple[int, str, str]:
    """Run `python build.py deploy` on the site; return the exit code, stdout and stderr."""
    code = main(["deploy", "--source", str(site), *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def branch_tip(remote: Path, branch: str = "gh-pages") -> str | None:
    """Return the commit at the tip of the branch in the bare remote, or None when there is no such branch."""
    result = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=remote, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or None


def branch_files(remote: Path, branch: str = "gh-pages") -> dict[str, bytes]:
    """Return every file of the branch in the bare remote with its content."""
    names = git(remote, "ls-tree", "-r", "--name-only", branch).splitlines()
    return {
        name: subprocess.run(["git", "show", f"{branch}:{name}"], cwd=remote, capture_output=True, check=True).stdout
        for name in names
    }


def folder_files(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` with its content, keyed by its path relative to the folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def reference_build(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> dict[str, bytes]:
    """Return the files a plain build of the site makes, without Waraqa's output-folder marker."""
    assert main(["build", "--source", str(site), "--output", str(tmp_path / "reference")]) == 0
    capsys.readouterr()
    files = folder_files(tmp_path / "reference")
    files.pop(".waraqa-output")
    return files


def push_foreign_commit(remote: Path, tmp_path: Path, files: dict[str, str], message: str, branch: str = "gh-pages") -> None:
    """Commit `files` to the remote branch from another clone, as a person or GitHub itself would."""
    clone = tmp_path / f"other-{len(list(tmp_path.glob('other-*')))}"
    git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    if branch_tip(remote, branch):
        git(clone, "checkout", "--quiet", branch)
    else:
        git(clone, "checkout", "--quiet", "--orphan", branch)
    for name, text in files.items():
        (clone / name).write_text(text, encoding="utf-8")
    git(clone, "add", *files)
    git(clone, "commit", "--quiet", "-m", message)
    git(clone, "push", "--quiet", "origin", branch)


def test_first_deploy_puts_exactly_the_built_site_on_the_branch(tmp_path, capsys):
    repo, site, remote = make_project(tmp_path)
    source = git(repo, "rev-parse", "HEAD")

    code, out, err = deploy(site, capsys)

    assert (code, err) == (0, "")
    assert "Deployed" in out and "origin/gh-pages" in out
    assert branch_files(remote) == reference_build(site, tmp_path, capsys)
    assert ".nojekyll" in branch_files(remote)
    message = git(remote, "log", "-1", "--format=%B", "gh-pages")
    assert f"built from {source[:7]}" in message
    assert f"Source-commit: {source}" in message
    assert "Deployed-by: waraqa" in message


def test_a_site_in_a_subfolder_of_the_repository_deploys_its_own_files_at_the_branch_root(tmp_path, capsys):
    _, site, remote = make_project(tmp_path, subfolder="site")

    code, _, err = deploy(site, capsys)

    assert (code, err) == (0, "")
    assert branch_files(remote) == reference_build(site, tmp_path, capsys)
    assert "index.html" in branch_files(remote)


def test_a_second_deploy_with_no_change_makes_no_new_commit(tmp_path, capsys):
    _, site, remote = make_project(tmp_path)
    assert deploy(site, capsys)[0] == 0
    first = branch_tip(remote)

    code, out, _ = deploy(site, capsys)

    assert code == 0
    assert "nothing to deploy" in out
    assert branch_tip(remote) == first


def test_a_changed_site_is_pushed_on_top_of_the_previous_deploy(tmp_path, capsys):
    repo, site, remote = make_project(tmp_path)
    assert deploy(site, capsys)[0] == 0
    first = branch_tip(remote)
    (site / "content" / "test-summit.md").write_text(SHEET.replace("نص الورقة.", "نص جديد."), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "New text")

    code, out, _ = deploy(site, capsys)

    assert code == 0
    assert git(remote, "rev-parse", "gh-pages^") == first
    assert "نص جديد." in branch_files(remote)["test-summit/index.html"].decode("utf-8")
    # The sheet's page changes, and with it the search index's files, whose names are content hashes.
    assert re.search(r"\(\d+ files: \d+ added, [1-9]\d* changed, \d+ removed\)", out), out


def test_cname_from_the_settings_file_survives_two_deploys(tmp_path, capsys):
    repo, site, remote = make_project(tmp_path, toml='cname = "facts.example.org"\n')
    assert deploy(site, capsys)[0] == 0
    (site / "content" / "test-summit.md").write_text(SHEET.replace("نص الورقة.", "نص جديد."), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "New text")

    assert deploy(site, capsys)[0] == 0

    files = branch_files(remote)
    assert files["CNAME"] == b"facts.example.org\n"
    assert files[".nojekyll"] == b""
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"


def test_a_custom_domain_set_in_github_settings_survives_two_deploys(tmp_path, capsys):
    repo, site, remote = make_project(tmp_path)
    assert deploy(site, capsys)[0] == 0
    # Setting a custom domain in the repository's Pages settings makes GitHub commit CNAME to the branch.
    push_foreign_commit(remote, tmp_path, {"CNAME": "news.example.org"}, "Create CNAME")

    for text in ("نص جديد.", "نص أحدث."):
        (site / "content" / "test-summit.md").write_text(SHEET.replace("نص الورقة.", text), encoding="utf-8")
        git(repo, "commit", "--quiet", "-am", "New text")
        code, out, err = deploy(site, capsys)
        assert (code, err) == (0, "")
        assert "Keeping the branch's CNAME (news.example.org)" in out
        files = branch_files(remote)
        assert files["CNAME"] == b"news.example.org"
        assert ".nojekyll" in files
        assert text in files["test-summit/index.html"].decode("utf-8")


def test_deploy_leaves_the_users_branch_index_and_working_tree_alone(tmp_path, capsys):
    repo, site, remote = make_project(tmp_path)
    (site / "content" / "test-summit.md").write_text(SHEET.replace("نص الورقة.", "مسودة لم تحفظ."), encoding="utf-8")
    (site / "content" / "staged.md").write_text(SHEET, encoding="utf-8")
    git(repo, "add", "content/staged.md")

    def checkout_state() -> tuple:
        """Return everything about the user's checkout that deploy must not change."""
        return (
            git(repo, "symbolic-ref", "HEAD"),
            git(repo, "rev-parse", "HEAD"),
            # The build cache ignores itself in git; the user sees no change in `git status`.
            git(repo, "status", "--porcelain"),
            git(repo, "branch", "--list"),
            (repo / ".git" / "index").read_bytes(),
            {name: data for name, data in folder_files(repo).items() if not name.startswith(".git/") and ".waraqa-cache/" not in name},
        )

    before = checkout_state()
    code, _, err = deploy(site, capsys)

    assert (code, err) == (0, "")
    assert checkout_state() == before
    assert not (site / "output").exists()
    # What was deployed is what the editor sees, uncommitted changes included, and the message says so.
    assert "مسودة لم تحفظ." in branch_files(remote)["test-summit/index.html"].decode("utf-8")
    assert "staged/index.html" in branch_files(remote)
    assert "with uncommitted changes" in git(remote, "log", "-1", "--format=%B", "gh-pages")


def test_dry_run_pushes_nothing(tmp_path, capsys):
    _, site, remote = make_project(tmp_path)

    code, out, _ = deploy(site, capsys, "--dry-run")

    assert code == 0
    assert "Dry run: would push" in out and "a new branch" in out
    assert branch_tip(remote) is None


def test_the_message_and_branch_options_are_used(tmp_path, capsys):
    _, site, remote = make_project(tmp_path)

    code, _, _ = deploy(site, capsys, "--branch", "site", "--message", "Publish the summit sheet")

    assert code == 0
    assert branch_tip(remote) is None
    message = git(remote, "log", "-1", "--format=%B", "site")
    assert message.startswith("Publish the summit sheet\n")
    assert "Deployed-by: waraqa" in message


def test_a_failing_build_is_reported_and_nothing_is_pushed(tmp_path, capsys):
    _, site, remote = make_project(tmp_path)
    (site / "content" / "test-summit.md").write_text(SHEET.replace('title: "قمة تجريبية"\n', ""), encoding="utf-8")

    code, _, err = deploy(site, capsys)

    assert code == 1
    assert "content/test-summit.md:2: title: required" in err
    assert branch_tip(remote) is None


def test_an_unknown_remote_is_refused(tmp_path, capsys):
    _, site, remote = make_project(tmp_path)

    code, _, err = deploy(site, capsys, "--remote", "upstream")

    assert code == 1
    assert "error: there is no git remote named 'upstream' (the remotes are: origin)" in err
    assert branch_tip(remote) is None


def test_a_remote_that_cannot_be_reached_is_refused(tmp_path, capsys):
    repo, site, _ = make_project(tmp_path)
    git(repo, "remote", "set-url", "origin", str(tmp_path / "gone.git"))

    code, _, err = deploy(site, capsys)

    assert code == 1
    assert err.startswith(f"error: reaching the remote 'origin' at {tmp_path / 'gone.git'} failed: ")


def test_a_folder_outside_git_is_refused(tmp_path, capsys):
    _, site, _ = make_project(tmp_path)
    outside = tmp_path / "outside"
    shutil.copytree(site, outside, ignore=shutil.ignore_patterns(".git"))

    code, _, err = deploy(outside, capsys)

    assert code == 1
    assert f"error: {outside} is not inside a git repository" in err


def test_a_branch_with_commits_waraqa_did_not_make_is_refused_unless_forced(tmp_path, capsys):
    _, site, remote = make_project(tmp_path)
    push_foreign_commit(remote, tmp_path, {"index.html": "<p>hand-made</p>"}, "Hand-made page")
    theirs = branch_tip(remote)

    code, _, err = deploy(site, capsys)

    assert code == 1
    assert "error: refusing to deploy: the branch 'gh-pages' on 'origin' has 1 commit that Waraqa did not make" in err
    assert "'Hand-made page'" in err and "--force" in err
    assert branch_tip(remote) == theirs

    code, _, _ = deploy(site, capsys, "--force")

    assert code == 0
    assert branch_files(remote) == reference_build(site, tmp_path, capsys)
    assert git(remote, "rev-parse", "gh-pages^") == theirs


def test_a_commit_pushed_after_a_deploy_is_refused(tmp_path, capsys):
    _, site, remote = make_project(tmp_path)
    assert deploy(site, capsys)[0] == 0
    push_foreign_commit(remote, tmp_path, {"notes.txt": "edited by hand"}, "Edit on the branch")
    theirs = branch_tip(remote)

    code, _, err = deploy(site, capsys)

    assert code == 1
    assert "has 1 commit that Waraqa did not make (the latest: " in err
    assert branch_tip(remote) == theirs


@pytest.mark.parametrize(
    ("remote_url", "expected"),
    [
        ("git@github.com:Reem/waraqa-site.git", "https://reem.github.io/waraqa-site/"),
        ("https://github.com/Reem/waraqa-site", "https://reem.github.io/waraqa-site/"),
        ("https://github.com/reem/reem.github.io.git", "https://reem.github.io/"),
        ("/srv/git/site.git", None),
    ],
)
def test_the_github_pages_address_is_known_from_the_remote(remote_url, expected):
    assert github_pages_url(remote_url) == expected


@pytest.mark.parametrize(
    ("base_url", "cname", "kept_cname", "warned"),
    [
        ("/", None, None, True),
        ("https://reem.github.io/facts/", None, None, False),
        ("/facts/", None, None, False),
        ("/", "facts.example.org", None, False),
        ("/", None, "facts.example.org", False),
    ],
)
def test_a_project_site_published_without_its_sub_path_is_warned_about(
    tmp_path, caplog, monkeypatch, base_url, cname, kept_cname, warned
):
    # main() in other tests gave the logger a handler of its own; let caplog see the record instead.
    monkeypatch.setattr(logging.getLogger("waraqa"), "handlers", [])
    monkeypatch.setattr(logging.getLogger("waraqa"), "propagate", True)
    config = Config(root=tmp_path, base_url=base_url, cname=cname)

    with caplog.at_level(logging.WARNING, logger="waraqa"):
        warn_about_base_url(config, "git@github.com:reem/facts.git", kept_cname)

    expected = "GitHub Pages will serve this site at https://reem.github.io/facts/ but base_url is '/'"
    assert (expected in caplog.text) is warned


@pytest.mark.parametrize("workflow", [WORKFLOW, CHECK_WORKFLOW], ids=["pages", "check"])
def test_the_workflows_pass_actionlint(workflow):
    """actionlint (with shellcheck where it finds it) finds nothing in either workflow."""
    actionlint = require_tool("actionlint")
    result = subprocess.run([actionlint, "-no-color", str(workflow)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_publishing_is_warm_and_strict_and_pull_requests_are_checked():
    """The Pages workflow caches pip and the build cache (falling back to older keys) and builds with --strict;
    the check workflow checks pull requests with --strict."""
    pages = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = pages["jobs"]["build"]["steps"]
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    cached = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cached["with"]["path"] == ".waraqa-cache" and "github.sha" in cached["with"]["key"]
    assert len(cached["with"]["restore-keys"].split()) >= 2
    build = next(step for step in steps if step.get("name") == "Build")
    assert "--strict" in build["run"]
    assert steps.index(cached) < steps.index(build)
    check = yaml.safe_load(CHECK_WORKFLOW.read_text(encoding="utf-8"))
    assert "pull_request" in check[True]  # YAML 1.1 reads the key `on` as true
    assert any("python build.py check --strict" in step.get("run", "") for step in check["jobs"]["check"]["steps"])


def test_the_pages_workflow_builds_for_the_address_pages_gives_it():
    workflow = WORKFLOW.read_text(encoding="utf-8")
    assert 'python build.py --strict --base-url "${{ steps.pages.outputs.base_url }}/"' in workflow
    for action in ("checkout", "setup-python", "configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"uses: actions/{action}@v" in workflow
