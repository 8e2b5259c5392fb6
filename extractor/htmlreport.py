"""The HTML report (``--html FILE``): one self-contained page, no network (all CSS inline, no
script, no remote resource), every text from a tutorial or the sandbox escaped.

Per article: its status, its history when the cache holds earlier runs, and each step with its
command, where it is in the source, its reason, the expected vs actual diff and what the
image provided or pinned. Failing steps are open; the rest fold away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from extractor.history import Past, since
from extractor.model import Tutorial
from extractor.results import ArticleResult, StepResult, summary
from extractor.vocab import FAILING_STEP_STATUSES, UNJUDGED_STEP_STATUSES

# Text badges, coloured by CSS: no emoji font needed to read the page.
STATUSES = ("passed", "failed", "timeout", "error", "blocked", "skipped")
MAX_OUTPUT_CHARS = 8000
_OPEN = FAILING_STEP_STATUSES | UNJUDGED_STEP_STATUSES

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#1f2328;background:#fff}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:0}
.summary span{display:inline-block;margin:.2rem .6rem .2rem 0;padding:.15rem .55rem;border-radius:1rem;background:#eef}
section.article{border:1px solid #d0d7de;border-radius:.5rem;margin:1rem 0;padding:.8rem 1rem}
section.status-failed,section.status-error{border-left:.4rem solid #cf222e}
section.status-passed{border-left:.4rem solid #1a7f37}section.status-skipped{border-left:.4rem solid #9a6700}
.meta{color:#57606a;font-size:.9rem;margin:.2rem 0 .6rem}
.strip span{display:inline-block;width:.7rem;height:.7rem;margin-right:2px;border-radius:2px}
.s-passed{background:#1a7f37}.s-failed,.s-error,.s-timeout{background:#cf222e}.s-skipped,.s-blocked{background:#bf8700}
details.step{border-top:1px solid #eaeef2;padding:.35rem 0}
details.step>summary{cursor:pointer;list-style-position:outside}
details.step.status-failed>summary,details.step.status-timeout>summary,details.step.status-error>summary{color:#cf222e;
font-weight:600}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#f6f8fa;border-radius:.35rem;padding:.5rem .7rem;overflow:auto;white-space:pre-wrap;margin:.3rem 0}
.diff span{display:block;min-height:1.2em}.diff .add{color:#116329;background:#dafbe1}
.diff .del{color:#82071e;background:#ffebe9}
.badge{display:inline-block;font-size:.72rem;font-weight:700;letter-spacing:.03em;text-transform:uppercase;color:#fff;
padding:.05rem .4rem;border-radius:.3rem;vertical-align:middle}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:.6rem}.label{font-size:.8rem;color:#57606a}
.where{color:#57606a}
"""


def _badge(status: str) -> str:
    return f'<span class="badge s-{escape(status)}">{escape(status)}</span>'


def _pre(text: str, cls: str = "") -> str:
    if len(text) > MAX_OUTPUT_CHARS:
        text = f"[… {len(text) - MAX_OUTPUT_CHARS} characters cut …]\n" + text[-MAX_OUTPUT_CHARS:]
    attr = f' class="{cls}"' if cls else ""
    return f"<pre{attr}>{escape(text)}</pre>"


def _diff(diff: str) -> str:
    rows = []
    for line in diff.rstrip("\n").split("\n"):
        kind = "add" if line.startswith("+") and not line.startswith("+++") else (
            "del" if line.startswith("-") and not line.startswith("---") else "")
        rows.append(f'<span class="{kind}">{escape(line)}</span>')
    return '<pre class="diff">' + "".join(rows) + "</pre>"


def _provided(step: StepResult) -> str:
    if step.action == "provided":
        return '<p class="meta">provided by the sandbox image (the packages were added to its layer)</p>'
    return ""


def _step(step: StepResult) -> str:
    status = str(step.status)
    head = (f"{_badge(status)} <code>{escape(step.id)}</code>"
            f" — <code>{escape(step.command.splitlines()[0] if step.command else '')}</code>")
    where = f' <span class="where">{escape(step.where)}</span>' if step.where else ""
    parts = [f'<details class="step status-{escape(status)}"{" open" if step.status in _OPEN else ""}>',
             f"<summary>{head}{where}</summary>", _pre("$ " + step.command, "command")]
    facts = [f"action: {step.action}" if step.action else "", f"exit status: {step.exit_code}"
             if step.exit_code is not None else "", f"match: {step.match}" + (f" ({step.match_rule})"
             if step.match_rule else "")]
    parts.append(f'<p class="meta">{escape(" · ".join(f for f in facts if f))}</p>')
    if step.reason:
        parts.append(f'<p class="reason">{escape(step.reason)}</p>')
    parts.append(_provided(step))
    if step.diff:
        parts.append('<div class="label">expected → actual (normalised)</div>' + _diff(step.diff))
    if step.expected_output is not None and step.status in _OPEN:
        parts.append('<div class="cols"><div><div class="label">the article shows</div>'
                     f'{_pre(step.expected_output)}</div><div><div class="label">the sandbox printed</div>'
                     f'{_pre(step.output)}</div></div>')
    elif step.output and step.status in _OPEN:
        parts.append('<div class="label">sandbox output</div>' + _pre(step.output))
    return "".join(parts) + "</details>"


def _history(entries: Sequence[Past], current: str) -> str:
    if not entries:
        return ""
    strip = "".join(f'<span class="s-{escape(p.status)}" title="{escape(p.when)}: {escape(p.status)}"></span>'
                    for p in entries)
    return f'<p class="meta history">{escape(since(entries, current))} <span class="strip">{strip}</span></p>'


def _article(result: ArticleResult, tutorial: Tutorial | None, history: Sequence[Past]) -> str:
    status = str(result.status)
    title = tutorial.title if tutorial and tutorial.title else result.slug
    link = (f'<a href="{escape(tutorial.url, quote=True)}">{escape(title)}</a>'
            if tutorial and tutorial.url.startswith(("http://", "https://")) else escape(title))
    counts: dict[str, int] = {}
    for step in result.steps:
        counts[str(step.status)] = counts.get(str(step.status), 0) + 1
    line = ", ".join(f"{n} {s}" for s, n in counts.items()) or "no steps"
    meta = [f"<code>{escape(result.slug)}</code>", escape(line), "cached" if result.cached else
            f"{result.duration_s:.1f}s"]
    if result.image:
        meta.append(f"image <code>{escape(result.image)}</code>")
    reason = f'<p class="reason">{escape(result.reason)}</p>' if result.reason else ""
    steps = "".join(_step(s) for s in result.steps)
    return (f'<section class="article status-{escape(status)}" id="{escape(result.slug, quote=True)}">'
            f"<h2>{_badge(status)} {link}</h2>"
            f'<p class="meta">{" · ".join(meta)}</p>{_history(history, status)}{reason}{steps}</section>')


def html_report(results: Sequence[ArticleResult], tutorials: Mapping[str, Tutorial] | None = None,
                history: Mapping[str, Sequence[Past]] | None = None) -> str:
    """The whole page: a summary, then the failing articles first, then the others, in run order."""
    total = summary(list(results))
    chips = "".join(f'<span class="s-{k}-text">{total[k]} {escape(k)}</span>' for k in STATUSES if total.get(k))
    ordered = sorted(results, key=lambda r: r.status not in ("failed", "error"))
    body = "".join(_article(r, (tutorials or {}).get(r.slug), (history or {}).get(r.slug, ())) for r in ordered)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>tutorcheck report</title><style>{_CSS}</style></head><body>"
            f"<h1>tutorcheck report</h1><p class=\"summary\"><span>{total['articles']} articles</span>"
            f"<span>{total['steps']} steps</span>{chips}</p>{body}</body></html>\n")
