"""Publish the built site as the only content of a branch on a git remote, without touching the user's checkout."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_FOLDER
from .config import Config
from .errors import WaraqaError
from .output import MARKER

log = logging.getLogger("waraqa")

# Every deploy commit carries this trailer: it is how a later deploy tells its own commits from someone else's.
TRAILER = "Deployed-by"
TRAILER_VALUE = "waraqa"
SOURCE_TRAILER = "Source-commit"
# Settings that make `git add` store the built files byte for byte, whatever the user's git config says.
_PLAIN_ADD = ("-c", "core.autocrlf=false", "-c", "core.safecrlf=false")


class DeployError(WaraqaError):
    """The site cannot be published: no repository, no remote, a branch with foreign commits, or git refused."""


@dataclass(frozen=True)
class Git:
    """Runs git commands in one repository and turns their failures into DeployError."""

    cwd: Path

    def run(self, *args: str, what: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
        """Return git's standard output without its last newline; raise DeployError saying `what` failed and why."""
        result = self.call(*args, stdin=stdin, env=env)
        if result.returncode != 0:
            raise DeployError(f"{what} failed: {_git_reason(result.stderr)}")
        return result.stdout.rstrip("\n")

    def call(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """Return the finished git process, whatever its exit code."""
        try:
            return subprocess.run(
                ["git", *args],
                check=False,
                cwd=self.cwd,
                input=stdin,
                capture_output=True,
                text=True,
                env={**os.environ, **(env or {})},
            )
        except FileNotFoundError:
            raise DeployError("git is not installed or not on PATH; deploy needs it") from None

    def ok(self, *args: str) -> bool:
        """Tell whether a git command succeeds (for questions such as 'does this object exist?')."""
        return self.call(*args).returncode == 0


def _git_reason(stderr: str) -> str:
    """Return the useful lines of git's error output, without its hints."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not line.startswith("hint:")]
    return " ".join(lines[-3:]) or "git gave no reason"


def run(args: argparse.Namespace) -> int:
    """Build the site and push it to --branch of --remote; return 0, or raise DeployError/BuildFailed."""
    from .cli import build_job, collector_paused
    from .pipeline import build

    job = build_job(args)
    config = job.config
    git = find_repository(config.root)
    remote_url = check_remote(git, args.remote)
    old = fetch_branch(git, args.remote, remote_url, args.branch)
    if old:
        refuse_foreign_commits(git, old, args.remote, args.branch, force=args.force)
    with tempfile.TemporaryDirectory(prefix="waraqa-deploy-") as scratch:
        if args.output is None:
            # Build outside the checkout: deploying must not change a file the user can see. The cache's
            # own folder (ignored by git) lets the next deploy rebuild only what changed.
            folder = Path(scratch) if args.no_cache else config.root / CACHE_FOLDER
            config = dataclasses.replace(config, output_dir=folder / "deploy")
            job = dataclasses.replace(job, config=config)
        with collector_paused():
            report = build(job).report
        for warning in report.warnings:
            log.warning("%s", warning)
        tree, kept_cname = site_tree(git, config.output_path, old, Path(scratch) / "index")
    target = f"{args.remote}/{args.branch}"
    if old and tree == git.run("rev-parse", f"{old}^{{tree}}", what="reading the branch's files"):
        log.info("%s already holds this site: nothing to deploy", target)
        return 0
    warn_about_base_url(config, remote_url, kept_cname)
    message = commit_message(git, args.message)
    if args.dry_run:
        log.info("Dry run: would push %s to %s; pushed nothing", describe_change(git, old, tree), target)
        log.info("The commit message would be:\n%s", message)
        return 0
    parents = ("-p", old) if old else ()
    commit = git.run("commit-tree", tree, *parents, "-F", "-", stdin=message, what="making the deploy commit")
    git.run("push", "--quiet", args.remote, f"{commit}:refs/heads/{args.branch}", what=f"pushing to {target}")
    log.info("Deployed %s to %s (%s)", commit[:7], target, describe_change(git, old, tree))
    return 0


def find_repository(folder: Path) -> Git:
    """Return a Git for the repository that holds the site folder (its root or any folder inside it)."""
    git = Git(folder)
    if git.call("rev-parse", "--show-toplevel").returncode != 0:
        raise DeployError(f"{folder} is not inside a git repository; deploy pushes the site to a git remote")
    return git


def check_remote(git: Git, remote: str) -> str:
    """Return the address of `remote`; refuse a remote this repository does not know."""
    result = git.call("remote", "get-url", remote)
    if result.returncode != 0:
        known = git.run("remote", what="listing the remotes").split()
        listed = f"the remotes are: {', '.join(known)}" if known else "this repository has no remote"
        raise DeployError(
            f"there is no git remote named '{remote}' ({listed}); add one with `git remote add {remote} URL` "
            "or choose one with --remote"
        )
    return result.stdout.strip()


def fetch_branch(git: Git, remote: str, remote_url: str, branch: str) -> str | None:
    """Return the commit at the tip of the remote branch, fetched so its history is here; None if it does not exist."""
    listing = git.run("ls-remote", "--heads", remote, f"refs/heads/{branch}", what=f"reaching the remote '{remote}' at {remote_url}")
    tips = [line.split("\t")[0] for line in listing.splitlines() if line.endswith(f"\trefs/heads/{branch}")]
    if not tips:
        return None
    git.run("fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}", what=f"fetching {remote}/{branch}")
    if not git.ok("cat-file", "-e", f"{tips[0]}^{{commit}}"):
        raise DeployError(f"{remote}/{branch} changed while it was being fetched; run deploy again")
    return tips[0]


def refuse_foreign_commits(git: Git, tip: str, remote: str, branch: str, *, force: bool) -> None:
    """Refuse, unless forced, a branch whose newest commits were not made by a Waraqa deploy."""
    commits = branch_history(git, tip, f"{remote}/{branch}")
    last_deploy = next((c.sha for c in commits if c.deployed), None)
    newer = None
    if last_deploy is not None:
        newer = set(git.run("rev-list", tip, f"^{last_deploy}", what="reading the branch's history").split())
    # GitHub commits CNAME to the branch when a custom domain is set in Settings: that commit is welcome.
    foreign = [c for c in commits if (newer is None or c.sha in newer) and not c.deployed and c.files != ("CNAME",)]
    if not foreign:
        return
    count = f"{len(foreign)} commit{'' if len(foreign) == 1 else 's'}"
    if force:
        log.warning("Replacing the content of %s/%s, which has %s not made by Waraqa (kept in its history)", remote, branch, count)
        return
    raise DeployError(
        f"refusing to deploy: the branch '{branch}' on '{remote}' has {count} that Waraqa did not make "
        f"(the latest: {foreign[0].sha[:7]} {foreign[0].subject!r}); pass --force to replace its content "
        "(its history is kept), or choose another branch with --branch"
    )


@dataclass(frozen=True)
class BranchCommit:
    """One commit of the deploy branch: who made it (by its trailer) and which files it changed."""

    sha: str
    subject: str
    deployed: bool
    files: tuple[str, ...]


def branch_history(git: Git, tip: str, name: str) -> list[BranchCommit]:
    """Return every commit reachable from `tip`, newest first, in one git call."""
    log_format = f"%x1e%H%x1f%s%x1f%(trailers:key={TRAILER},valueonly,separator=%x2C)"
    output = git.run("log", "--topo-order", "--name-only", f"--format={log_format}", tip, what=f"reading {name}")
    commits = []
    for record in output.split("\x1e")[1:]:
        header, _, names = record.partition("\n")
        sha, subject, deployed_by = header.split("\x1f")
        files = tuple(line for line in names.splitlines() if line)
        commits.append(BranchCommit(sha, subject, TRAILER_VALUE in deployed_by.split(","), files))
    return commits


def site_tree(git: Git, folder: Path, old: str | None, index: Path) -> tuple[str, str | None]:
    """Return the git tree of the built site in `folder` and the CNAME kept from the branch, if one was kept."""
    env = {"GIT_INDEX_FILE": str(index)}
    git_dir = git.run("rev-parse", "--absolute-git-dir", what="finding the repository")
    # A private index and the output folder as work tree: the user's index, HEAD and files are never read or written.
    in_site = Git(folder)
    site_git = (*_PLAIN_ADD, f"--git-dir={git_dir}", f"--work-tree={folder}")
    in_site.run(*site_git, "add", "--all", "--force", "--", ".", f":(exclude){MARKER}", env=env, what="adding the built site")
    kept_cname = None
    if not (folder / "CNAME").is_file() and old and git.ok("cat-file", "-e", f"{old}:CNAME"):
        # A custom domain set in the repository's Pages settings lives only in the branch: keep it.
        blob = git.run("rev-parse", f"{old}:CNAME", what="reading the branch's CNAME")
        in_site.run(*site_git, "update-index", "--add", "--cacheinfo", f"100644,{blob},CNAME", env=env, what="keeping CNAME")
        kept_cname = git.run("cat-file", "blob", blob, what="reading the branch's CNAME").strip()
        log.info("Keeping the branch's CNAME (%s): the site sets no cname of its own", kept_cname)
    tree = git.run("write-tree", env=env, what="recording the built site")
    return tree, kept_cname


def commit_message(git: Git, message: str | None) -> str:
    """Return the deploy commit's message: the user's or one naming the source commit, with Waraqa's trailers."""
    source = git.call("rev-parse", "--verify", "--quiet", "HEAD^{commit}").stdout.strip()
    changed = bool(git.run("status", "--porcelain", "--", ".", what="looking for uncommitted changes"))
    if not (message and message.strip()):
        built_from = f"built from {source[:7]}" if source else "built before the first commit"
        message = f"Deploy the site {built_from}{' with uncommitted changes' if changed and source else ''}"
    trailers = [f"{TRAILER}: {TRAILER_VALUE}"]
    if source:
        trailers.append(f"{SOURCE_TRAILER}: {source}{' (with uncommitted changes)' if changed else ''}")
    return f"{message.strip()}\n\n" + "\n".join(trailers) + "\n"


def describe_change(git: Git, old: str | None, tree: str) -> str:
    """Return how many files the new tree has and, against the branch, how many it adds, changes and removes."""
    files = len(git.run("ls-tree", "-r", "--name-only", tree, what="listing the site's files").splitlines())
    total = f"{files} file{'' if files == 1 else 's'}"
    if not old:
        return f"{total} (a new branch)"
    changes = git.run("diff-tree", "-r", "--name-status", f"{old}^{{tree}}", tree, what="comparing with the branch")
    kinds = [line.split("\t", 1)[0][:1] for line in changes.splitlines()]
    return f"{total}: {kinds.count('A')} added, {kinds.count('M')} changed, {kinds.count('D')} removed"


_GITHUB_REMOTE = re.compile(r"github\.com[:/](?P<owner>[^/]+)/(?P<repo>[^/]+?)(?:\.git)?/?$")


def github_pages_url(remote_url: str) -> str | None:
    """Return the address GitHub Pages serves a repository at without a custom domain; None if not on GitHub."""
    match = _GITHUB_REMOTE.search(remote_url)
    if not match:
        return None
    owner, repo = match["owner"], match["repo"]
    if repo.lower() == f"{owner.lower()}.github.io":
        return f"https://{repo.lower()}/"
    return f"https://{owner.lower()}.github.io/{repo}/"


def warn_about_base_url(config: Config, remote_url: str, kept_cname: str | None) -> None:
    """Warn when a GitHub project site will be served under a sub-path that the site's links do not carry."""
    pages_url = github_pages_url(remote_url)
    if not pages_url or config.cname or kept_cname or pages_url.count("/") == 3:
        return
    expected = pages_url.split("/", 3)[3]
    if not config.base_url.rstrip("/").endswith("/" + expected.rstrip("/")):
        log.warning(
            "warning: GitHub Pages will serve this site at %s but base_url is %r, so its links will break; "
            "set base_url = %r in waraqa.toml or pass --base-url %s",
            pages_url, config.base_url, pages_url, pages_url,
        )
