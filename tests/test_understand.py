"""Unit tests of the understanding rules, one module at a time (no Docker, no network)."""

from __future__ import annotations

import pytest

from extractor.model import KINDS, CodeBlock, ProseBlock, SourceRef, Tutorial
from extractor.understand import needs, placeholders, prompts, python, shellsplit, summarize, understand_blocks
from extractor.understand.classify import classify

PROMPT_LINES = [
    ("$ ls -la", "$ "),
    ("(venv) $ pip list", "(venv) $ "),
    ("user@host:~/src/app$ make", "user@host:~/src/app$ "),
    ("root@box:/etc# cat hosts", "root@box:/etc# "),
    ("[ec2-user@ip-10-0-0-1 ~]$ uptime", "[ec2-user@ip-10-0-0-1 ~]$ "),
    ("(MoeLove) ➜ kubectl get pods", "(MoeLove) ➜ "),
    ("(⎈|kind-kind:default)➜  ~ helm list", "(⎈|kind-kind:default)➜  ~ "),
    ("➜  ~ brew install jq", "➜  ~ "),
    ("➜  api git:(feat/x) ✗ npm test", "➜  api git:(feat/x) ✗ "),
    ("PS C:\\> Get-Process", "PS C:\\> "),
    ("mac:~ ada$ ls", "mac:~ ada$ "),
    ("❯ cargo build", "❯ "),
    ("$ 5 per month", None),
    ("# Install the dependencies", None),
    ("Hello $ world", None),
    ("kubectl get pods", None),
]


@pytest.mark.parametrize(("line", "prompt"), PROMPT_LINES)
def test_prompt_shapes(line: str, prompt: str | None) -> None:
    found = prompts.Prompts().match(line)
    assert (found.prompt if found else None) == prompt


def test_when_hash_lines_hold_commands_and_others_are_output_then_hash_is_a_prompt() -> None:
    text = "# apt-get update\nReading package lists... Done\n# whoami\nroot\n"
    block = prompts.Prompts().for_block(text)
    assert block.match("# whoami") is not None
    commented = "# install the deps\napt-get install -y jq\n"
    assert prompts.Prompts().for_block(commented).match("# install the deps") is None


def test_when_an_unknown_prompt_recurs_then_it_is_learned() -> None:
    learned = prompts.learn(["box> ls /\nbin\nbox> pwd\n/\n"])
    assert learned.match("box> uname -a") is not None


@pytest.mark.parametrize(("text", "more"), [
    ("echo hi", False),
    ("echo 'open", True),
    ('echo "open', True),
    ("cat <<EOF > f", True),
    ("cat <<EOF > f\nbody\nEOF", False),
    ("ls |", True),
    ("make &&", True),
    ("helm upgrade x \\", True),
    ("if true; then", True),
    ("for x in a b; do\n  echo $x", True),
    ("echo $(date", True),
    ("helm repo add kong <https://charts.konghq.com>", False),
])
def test_wants_more(text: str, more: bool) -> None:
    assert shellsplit.wants_more(text) is more


def test_invocations_see_inside_pipelines_and_substitutions() -> None:
    found = shellsplit.invocations("export IP=$(kubectl get svc -o name) && curl $IP | jq .")
    assert [i.name for i in found] == ["kubectl", "curl", "jq"]
    assert shellsplit.assigned_variables("export IP=1; read -r NAME") >= {"IP", "NAME"}
    assert set(shellsplit.used_variables("echo \"$A\" '${B}' ${C}")) == {"A", "C"}


@pytest.mark.parametrize(("text", "found"), [
    ("helm install x --set token=REPLACE_ME", ["REPLACE_ME"]),
    ("curl -u <your-user>:<API-TOKEN>", ["<your-user>"]),
    ('"version": "x.y.z"', ["x.y.z"]),
    ("git clone https://github.com/YOUR_USERNAME/repo", ["YOUR_USERNAME"]),
    ("echo hello", []),
    ("helm repo add kong <https://charts.konghq.com>", []),
])
def test_placeholders(text: str, found: list[str]) -> None:
    assert all(f in placeholders.placeholders(text) for f in found)
    assert bool(placeholders.placeholders(text)) == bool(found)


@pytest.mark.parametrize(("code", "program"), [
    ('print("hi")\n', True),
    ("import sys\n\ndef main():\n    return 0\n\nif __name__ == '__main__':\n    sys.exit(main())\n", True),
    ("def f():\n    return 1\n", False),  # defines, never runs anything
    ("x = load(path)\n", False),  # names from elsewhere
    ("import numpy as np\nprint(np.zeros(3))\n", False),  # not the standard library
    ("def f(:\n", False),
])
def test_python_program_or_fragment(code: str, program: bool) -> None:
    assert python.is_program(code) is program


@pytest.mark.parametrize(("command", "present", "absent"), [
    ("kubectl get nodes", {"cluster", "tool:kubectl"}, {"state", "network"}),
    ("kubectl -n shop get pods", {"cluster", "state"}, set()),
    ("helm repo add bitnami https://charts.bitnami.com/bitnami", {"network", "tool:helm"}, {"cluster"}),
    ("helm install db bitnami/postgresql", {"cluster", "network", "state"}, set()),
    ("git clone https://github.com/a/b", {"network"}, {"tool:git"}),
    ("npm ci", {"network", "tool:npm"}, set()),
    ("echo $SLACK_WEBHOOK_SECRET", {"secret"}, set()),
    ("echo $CLUSTER_NAME", {"placeholder"}, {"secret"}),
    ("echo $HOME", set(), {"secret", "placeholder"}),
    ("cat notes.txt", {"state"}, set()),
    ("shasum -a 256 f", {"tool:shasum"}, set()),
    ("aws s3 ls", {"network", "secret", "tool:aws"}, set()),
    ("curl http://127.0.0.1:8080/health", set(), {"network"}),
    ("sudo apt-get install -y jq", {"network", "tool:sudo"}, {"tool:apt-get"}),
    # publishing under the reader's account on a registry: its credentials
    ("rake release", {"network", "secret"}, set()), ("rake test", set(), {"network", "secret"}),
    ("gem push shelf-1.0.gem", {"network", "secret"}, set()), ("gem build shelf.gemspec", set(), {"secret"}),
    ("twine upload dist/*", {"network", "secret"}, set()),
    # an option that downloads: uscan fetches the new upstream release before gbp imports it
    ("gbp import-orig --uscan --pristine-tar", {"network"}, set()),
    ("gbp import-orig ../shelf_1.1.orig.tar.gz", set(), {"network"}),
])
def test_step_needs(command: str, present: set[str], absent: set[str]) -> None:
    got = set(needs.step_needs(command, needs.Made(), set()))
    assert present <= got and not absent & got, got


def test_when_a_block_makes_what_it_uses_then_no_state() -> None:
    made = needs.Made()
    assert "state" not in needs.step_needs("kubectl create ns shop", made, set())
    assert "state" not in needs.step_needs("kubectl -n shop create deploy web --image=nginx", made, set())
    assert "state" not in needs.step_needs("kubectl -n shop get pods", made, set())
    assert "state" not in needs.step_needs("echo hi > notes.txt", made, set())
    assert "state" not in needs.step_needs("cat notes.txt", made, set())


def test_when_a_variable_is_set_earlier_in_the_article_then_it_is_no_secret() -> None:
    blocks = (CodeBlock(0, "export API_TOKEN=abc\n", "bash"), CodeBlock(1, "curl -H \"X: $API_TOKEN\" x\n", "bash"))
    out = understand_blocks(blocks, "s", "t")
    assert isinstance(out[1], CodeBlock) and "secret" not in out[1].needs


ODD = [
    "", "   \n\t\n", "\x00\x01binary\xff", "$ ", "$ \n$ \n", ">>> ", ">>> 1 +\n", "'" * 1000, "\\\n" * 50,
    "$ echo '\n" * 30, "{", "[1, 2", "---\n---\n", "- - - -", "FROM", "package", "def", "<<EOF", "\r\n\r\n",
    "$ cat <<EOF\n" + "x\n" * 200, "➜", "PS C:\\>", "🙂 $ ls", "a" * 20000, "$ " + "ls " * 3000,
    "apiVersion: v1\nkind: Pod\nmetadata: 3\n", "on: push\njobs: 3\n", '{"name": 1, "version": []}',
]


@pytest.mark.parametrize("text", ODD)
@pytest.mark.parametrize("label", [None, "bash", "python", "yaml", "json", "go", "weird-lang", "PlainText"])
def test_never_raises_on_odd_input(text: str, label: str | None) -> None:
    blocks = (ProseBlock("Save this as `x.yaml`:"), CodeBlock(0, text, label), ProseBlock("then"))
    out = understand_blocks(blocks, "odd", "odd")
    assert len(out) == 3 and isinstance(out[1], CodeBlock)
    assert out[1].kind in KINDS and out[1].text == text
    assert not [c for c in out[1].checks if c.name == "understand"]  # no internal error either


def test_when_understanding_fails_inside_then_the_block_becomes_text_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from extractor.understand import block as block_module

    def broken(*_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(block_module, "classify", broken)
    out = understand_blocks((CodeBlock(0, "$ ls\n", "bash"), CodeBlock(1, "x", None)), "src", "T")
    assert all(isinstance(b, CodeBlock) and b.kind == "text" for b in out)
    first = out[0]
    assert isinstance(first, CodeBlock) and "block 0" in first.checks[0].message and not first.checks[0].ok


def test_understanding_is_deterministic() -> None:
    blocks = (ProseBlock("Create `a.yaml`:"), CodeBlock(0, "a: 1\n", "yaml"),
              CodeBlock(1, "$ cat a.yaml\na: 1\n", None))
    assert understand_blocks(blocks, "s", "t") == understand_blocks(blocks, "s", "t")


def test_classify_prefers_content_over_label() -> None:
    empty = prompts.Prompts()
    assert classify("$ ls\nfile\n", "jsx", empty).kind == "session"
    assert classify('{"a": 1}', "yaml", empty).lang == "json"
    assert classify("├── a\n└── b\n", "bash", empty).kind == "text"


def test_summary_counts_kinds_steps_needs_and_defects() -> None:
    blocks = understand_blocks((
        CodeBlock(0, "$ echo hi\nhi\n$ kubectl get pods\nNo resources found\n", "bash"),
        CodeBlock(1, "$ helm repo add x <https://x.example>\n", "bash"),
        CodeBlock(2, "a: 1\n", "yaml"),
    ), "s", "t")
    summary = summarize(Tutorial("demo", "Demo", "u", SourceRef("f", "rss20"), blocks=blocks))
    assert summary.kinds == (("fragment", 1), ("session", 2))
    assert (summary.steps, summary.runnable) == (3, 1)
    assert dict(summary.needs)["cluster"] == 1
    assert summary.defects and summary.defects[0][0] == 1
    assert "3 steps, 1 runnable now" in summary.text()


@pytest.mark.parametrize(("prose", "text", "label", "name"), [
    ("Save this page as `index.html`:", "<!doctype html>\n<title>Hi</title>\n", "html", "index.html"),
    ("Now put the styles in static/site.css:", "body { margin: 0 }\n", "css", "static/site.css"),
    ("Create a file named schema.sql:", "CREATE TABLE t (id int);\n", "sql", "schema.sql"),
])
def test_when_the_prose_says_save_it_as_a_file_then_any_language_is_a_file(
    prose: str, text: str, label: str, name: str,
) -> None:
    out = understand_blocks((ProseBlock(prose), CodeBlock(0, text, label)), "src", "T")
    block = out[1]
    assert isinstance(block, CodeBlock)
    assert (block.kind, block.filename) == ("file", name)


def test_when_the_prose_only_mentions_a_file_then_an_html_excerpt_stays_a_fragment() -> None:
    out = understand_blocks((ProseBlock("The header of index.html looks like this:"),
                             CodeBlock(0, "<title>Hi</title>\n", "html")), "src", "T")
    assert isinstance(out[1], CodeBlock) and out[1].kind == "fragment"


@pytest.mark.parametrize(("text", "shell"), [
    ("PS C:\\Users\\me> Get-ChildItem\n\n    Directory: C:\\Users\\me\n", "powershell"),
    ("C:\\> dir /b\nnotes.txt\n", "cmd"),
])
def test_when_the_prompt_is_windows_then_the_step_needs_that_shell_not_its_cmdlets(text: str, shell: str) -> None:
    from extractor.plan import make_plan

    out = understand_blocks((ProseBlock("On Windows:"), CodeBlock(0, text, "powershell")), "src", "T")
    block = out[1]
    assert isinstance(block, CodeBlock) and block.kind == "session"
    assert f"tool:{shell}" in block.needs
    t = Tutorial(slug="w", title="w", url="", source=SourceRef("test", "json"), blocks=out)
    actions = [a for a in make_plan(t).actions if a.block == 0]
    assert actions and all(a.kind == "skip" and "Windows" in a.reason for a in actions)  # never a false failure


def test_when_printed_lines_follow_a_command_without_a_prompt_then_they_are_its_output() -> None:
    text = ("npm install express\n\nadded 57 packages, and audited 58 packages in 2s\n\n"
            "found 0 vulnerabilities\nnpm ls express\n")
    block = understand_blocks((ProseBlock("Install it:"), CodeBlock(0, text, "bash")), "s", "T")[1]
    assert isinstance(block, CodeBlock) and block.kind == "session"
    assert [(s.command, s.expected_output) for s in block.steps] == [
        ("npm install express", "added 57 packages, and audited 58 packages in 2s\n\nfound 0 vulnerabilities\n"),
        ("npm ls express", None),
    ]
    assert not any(n in ("tool:added", "tool:found") for n in block.needs)


@pytest.mark.parametrize("text", [
    "mytool init\nmytool run --fast\n",        # an unknown CLI, twice: commands, not output
    "mytool init\nsetup-db --seed 3\n",       # unknown word, but options: typed, not printed
    "git init\ngit add .\n",
])
def test_when_lines_look_typed_then_they_stay_commands(text: str) -> None:
    block = understand_blocks((ProseBlock("Run:"), CodeBlock(0, text, "bash")), "s", "T")[1]
    assert isinstance(block, CodeBlock) and block.kind == "commands"
    assert [s.command for s in block.steps] == text.rstrip("\n").split("\n")
    assert all(s.expected_output is None for s in block.steps)


@pytest.mark.parametrize(("text", "command", "output"), [
    ("python3 --version\n\nPython 3.11.2\n", "python3 --version", "Python 3.11.2\n"),
    ("seq 3 | wc -l\n3\n", "seq 3 | wc -l", "3\n"),
    ("ls -1 \\\n  /etc/apt\napt.conf.d\nsources.list\n", "ls -1 \\\n  /etc/apt", "apt.conf.d\nsources.list\n"),
])
def test_when_one_command_is_followed_by_what_it_printed_then_that_is_its_recorded_output(
    text: str, command: str, output: str,
) -> None:
    block = understand_blocks((ProseBlock("Run:"), CodeBlock(0, text, "bash")), "s", "T")[1]
    assert isinstance(block, CodeBlock) and (block.kind, block.lang) == ("session", "shell")
    assert [(s.command, s.expected_output) for s in block.steps] == [(command, output)]


@pytest.mark.parametrize("text", [
    "Error: connection refused\nretrying in 5s\n",   # output only: no command first
    "git status\ngit add .\n",                        # two commands
    "kubectl get pods\n# then\nkubectl get svc\n",    # commands with a comment between
])
def test_when_not_one_command_then_its_output_the_block_is_not_made_a_session(text: str) -> None:
    block = understand_blocks((ProseBlock("Run:"), CodeBlock(0, text, "bash")), "s", "T")[1]
    assert isinstance(block, CodeBlock) and block.kind != "session"


@pytest.mark.parametrize(("command", "network"), [
    ("go mod init example.com/hello", False), ("go mod tidy", True), ("go get github.com/x/y", True),
    ("npm init -y", False), ("npm init vite@latest my-app", True), ("go build .", False),
])
def test_network_is_needed_by_the_subcommands_that_fetch(command: str, network: bool) -> None:
    assert ("network" in needs.step_needs(command, needs.Made(), set())) is network


def test_when_a_placeholder_sits_in_a_command_then_the_shell_grammar_reads_it_as_a_word() -> None:
    assert shellsplit.masked("export T=<your-token>") == "export T=_your-token_"
    assert not shellsplit.wants_more("export T=<your-token>")
    assert not shellsplit.has_error("kubectl get pods -n <NAMESPACE>")


def test_when_the_bare_prompt_ends_a_session_then_it_is_not_output() -> None:
    from extractor.understand import transcript

    turns = transcript.split("$ pwd\n/tmp\n$\n", prompts.Prompts())
    assert [(t.command, t.output) for t in turns] == [("pwd", "/tmp\n")]


def test_when_a_loop_sets_a_variable_then_using_it_inside_needs_nothing() -> None:
    assert "placeholder" not in needs.step_needs('for f in a b; do echo "$f"; done', needs.Made(), set())


def test_when_docker_addresses_a_container_then_an_earlier_step_must_have_made_it() -> None:
    made = needs.Made()
    assert "state" in needs.step_needs("docker exec -it web sh", made, set())
    needs.step_needs("docker run -d --name cache redis:7", made, set())
    assert "state" not in needs.step_needs("docker logs -f cache", made, set())


def test_a_python_session_example_owns_its_output_up_to_the_next_prompt_blank_lines_included() -> None:
    text = (">>> print('first\\n\\nsecond')\nfirst\n\nsecond\n\n>>> for i in range(2):\n...     print(i)\n...\n"
            "0\n...\n>>> x = 1\n")
    found = python.examples(text)
    assert [(e.source, e.want) for e in found] == [
        ("print('first\\n\\nsecond')", "first\n\nsecond\n"),
        ("for i in range(2):\n    print(i)", "0\n...\n"),  # '...' after the output is output (an elision)
        ("x = 1", None),
    ]


def test_a_plain_block_whose_names_a_later_session_uses_is_typed_into_that_session() -> None:
    from extractor.model import CodeBlock

    blocks = (CodeBlock(0, "class Point:\n    def __init__(self, x):\n        self.x = x\n", label="python"),
              CodeBlock(1, "def unused():\n    return 1\n", label="python"),
              CodeBlock(2, ">>> p = Point(3)\n>>> p.x\n3\n", label="python"))
    done = [b for b in understand_blocks(blocks, "test", "t") if isinstance(b, CodeBlock)]
    assert [(b.kind, [s.pasted for s in b.steps]) for b in done] == [
        ("commands", [True]), ("fragment", []), ("session", [False, False])]


@pytest.mark.parametrize(("text", "answers", "interactive"), [
    ('>>> name = input("Your name: ")\nYour name: Ada\n>>> name\n\'Ada\'\n', ("Ada",), False),
    ('>>> name = input("Your name: ")\n>>> name\n\'Ada\'\n', (), True),  # the answer is not shown
    (">>> x = input()\n42\n", ("42",), False),
    (">>> import getpass\n>>> pw = getpass.getpass()\nPassword:\n", (), True),
    ('$ read -p "Name: " name\nName: Ada\n$ echo "hi $name"\nhi Ada\n', ("Ada",), False),
    ("$ read -s token\n$ echo done\ndone\n", (), True),
])
def test_what_the_reader_typed_at_a_prompt_is_the_steps_answer(text: str, answers: tuple[str, ...],
                                                                interactive: bool) -> None:
    from extractor.model import CodeBlock

    done = [b for b in understand_blocks((CodeBlock(0, text),), "test", "t") if isinstance(b, CodeBlock)]
    asking = [s for s in done[0].steps if "input(" in s.command or "getpass()" in s.command or "read" in s.command]
    assert [s.answers for s in asking] == [answers]
    assert ("interactive" in asking[0].needs) is interactive
