"""Output matching: each normalisation matches what it should and refuses what it shouldn't.

The texts are the shapes the seed articles print (kubectl, helm, curl), with the volatile parts
changed the way a re-run changes them.
"""

from __future__ import annotations

import pytest

from extractor.matching import STAGES, TOKEN_RULES, Comparison, compare, normalize

DEPLOY = """\
NAME    READY   UP-TO-DATE   AVAILABLE   AGE
redis   1/1     1            1           11s
"""

EVENTS = """\
LAST SEEN   TYPE     REASON              OBJECT                        MESSAGE
21s         Normal   Scheduled           pod/redis-687967dbc5-27vmr    Successfully assigned moelove/redis-687967dbc5-27vmr to kind-worker3
15s         Normal   Pulled              pod/redis-687967dbc5-27vmr    Successfully pulled image "ghcr.io/moelove/redis:alpine" in 6.814310968s
22s         Normal   SuccessfulCreate    replicaset/redis-687967dbc5   Created pod: redis-687967dbc5-27vmr
"""  # noqa: E501

EVENTS_RERUN = """\
LAST SEEN   TYPE     REASON              OBJECT                       MESSAGE
2m12s       Normal   Scheduled           pod/redis-7c9d8b6f4-x5q2z    Successfully assigned moelove/redis-7c9d8b6f4-x5q2z to kind-worker3
2m6s        Normal   Pulled              pod/redis-7c9d8b6f4-x5q2z    Successfully pulled image "ghcr.io/moelove/redis:alpine" in 1.02s
2m13s       Normal   SuccessfulCreate    replicaset/redis-7c9d8b6f4   Created pod: redis-7c9d8b6f4-x5q2z
"""  # noqa: E501

PODS = """\
NAME                        READY   STATUS         RESTARTS   AGE
non-exist-d9ddbdd84-tnrhd   0/1     ErrImagePull   0          11s
redis-687967dbc5-27vmr      1/1     Running        0          26m
"""

DESCRIBE_EVENTS = """\
Events:
  Type     Reason     Age                    From               Message
  ----     ------     ----                   ----               -------
  Normal   Scheduled  4m                     default-scheduler  Successfully assigned moelove/non-exist-d9ddbdd84-tnrhd to kind-worker3
  Normal   Pulling    2m22s (x4 over 3m59s)  kubelet            Pulling image "ghcr.io/moelove/non-exist"
  Warning  Failed     2m9s (x6 over 3m58s)   kubelet            Error: ImagePullBackOff
"""  # noqa: E501

DESCRIBE_RERUN = """\
Events:
  Type     Reason     Age                 From               Message
  ----     ------     ----                ----               -------
  Normal   Scheduled  12s                 default-scheduler  Successfully assigned moelove/non-exist-5f7b9c8d4-w2mzq to kind-worker3
  Normal   Pulling    9s (x2 over 11s)    kubelet            Pulling image "ghcr.io/moelove/non-exist"
  Warning  Failed     8s (x1 over 10s)    kubelet            Error: ImagePullBackOff
"""  # noqa: E501

EVENT_YAML = """\
apiVersion: v1
eventTime: "2021-12-28T19:31:13.702987Z"
involvedObject:
  kind: Pod
  name: redis-687967dbc5-27vmr
  resourceVersion: "330230"
  uid: 71b97182-5593-47b2-88cc-b3f59618c7aa
metadata:
  creationTimestamp: "2021-12-28T19:31:13Z"
  name: redis-687967dbc5-27vmr.16c4fb7bde8c69d2
reason: Scheduled
"""

EVENT_YAML_RERUN = """\
apiVersion: v1
eventTime: "2026-11-23T01:05:03.000001Z"
involvedObject:
  kind: Pod
  name: redis-7c9d8b6f4-x5q2z
  resourceVersion: "812"
  uid: 0f4c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098
metadata:
  creationTimestamp: "2026-11-23T01:05:03Z"
  name: redis-7c9d8b6f4-x5q2z.187a9b2c3d4e5f60
reason: Scheduled
"""

GATEWAY = """\
NAMESPACE   NAME   CLASS   ADDRESS         PROGRAMMED   AGE
default     kong   kong    74.220.29.143   True         3m35s
"""

GATEWAY_RERUN = """\
NAMESPACE   NAME   CLASS   ADDRESS      PROGRAMMED   AGE
default     kong   kong    10.96.0.17   True         4s
"""


def rules_of(c: Comparison) -> set[str]:
    return set(c.rule.split("+")) if c.rule else set()


# (id, expected, actual, rule the match must name)
MATCHES = [
    ("identical", DEPLOY, DEPLOY, "exact"),
    ("trailing-blanks", "namespace/moelove created\n", "namespace/moelove created   \n\n", "whitespace"),
    ("crlf", "deployment.apps/redis created\n", "deployment.apps/redis created\r\n", "whitespace"),
    ("tabs-vs-spaces", "real\t0m0.003s\nuser 0m0.001s\n", "real    0m0.003s\nuser\t0m0.001s\n", "whitespace"),
    ("indent-tab-vs-spaces", "Events:\n\tNormal  Scheduled\n", "Events:\n        Normal   Scheduled\n", "whitespace"),
    ("table-widths-and-age", DEPLOY,
     "NAME      READY   UP-TO-DATE   AVAILABLE   AGE\nredis     1/1     1            1           2m12s\n", "table"),
    ("table-tabs", DEPLOY, "NAME\tREADY\tUP-TO-DATE\tAVAILABLE\tAGE\nredis\t1/1\t1\t1\t3m59s\n", "table"),
    ("events-table-k8s-names", EVENTS, EVENTS_RERUN, "k8s-name"),
    ("pods-k8s-names", PODS, PODS.replace("d9ddbdd84-tnrhd", "6b9f7c5d48-zx7qp").replace("26m", "1s"), "k8s-name"),
    ("describe-ages-counts", DESCRIBE_EVENTS, DESCRIBE_RERUN, "age"),
    ("describe-event-count", DESCRIBE_EVENTS, DESCRIBE_RERUN, "k8s-event-count"),
    ("yaml-timestamps", EVENT_YAML, EVENT_YAML_RERUN, "timestamp"),
    ("yaml-uuid", EVENT_YAML, EVENT_YAML_RERUN, "uuid"),
    ("yaml-hex-event-name", EVENT_YAML, EVENT_YAML_RERUN, "hex"),
    ("yaml-resource-version", EVENT_YAML, EVENT_YAML_RERUN, "k8s-resource-version"),
    ("gateway-ip", GATEWAY, GATEWAY_RERUN, "ip"),
    ("ellipsis-many", "Name: redis\n...\nEvents:\n", "Name: redis\nNamespace: moelove\nPriority: 0\nEvents:\n",
     "ellipsis"),
    ("ellipsis-none", "Name: redis\n...\nEvents:\n", "Name: redis\nEvents:\n", "ellipsis"),
    ("ellipsis-twice", "Name: redis\n...\nStatus: Running\n...\nEvents:\n",
     "Name: redis\nNamespace: moelove\nStatus: Running\nIP: 10.244.1.5\nNode: kind-worker3\nEvents:\n", "ellipsis"),
    ("ellipsis-trailing", "Name: redis\n...\n", "Name: redis\nNamespace: moelove\n", "ellipsis"),
    ("ellipsis-unicode-leading", "…\nEvents:\n", "Name: redis\nEvents:\n", "ellipsis"),
    ("duration-fraction", 'pulled image "redis:alpine" in 6.814310968s\n', 'pulled image "redis:alpine" in 812ms\n',
     "duration"),
    ("duration-words", "Up 2 minutes\n", "Up About a minute\n", "duration"),
    ("helm-ctime", "LAST DEPLOYED: Sat Jul 20 01:40:28 2024\n", "LAST DEPLOYED: Mon Nov 23 01:05:03 2026\n",
     "timestamp"),
    ("date-command", "Mon Nov 23 01:05:03 UTC 2026\n", "Tue Dec  1 14:00:00 UTC 2026\n", "timestamp"),
    ("iso-date", "backup-2021-12-28.tar.gz\n", "backup-2026-11-23.tar.gz\n", "date"),
    ("log-time", "[19:31:13] server started\n", "[01:05:03] server started\n", "time"),
    ("request-id-hex", '"request_id":"382d5a15ac243b3183b5b239a5e3ae77"\n',
     '"request_id":"9f1e2d3c4b5a69788796a5b4c3d2e1f0"\n', "hex"),
    ("container-id", "Started container 4f2a9c1e7b3d\n", "Started container a81b2c3d4e5f\n", "hex"),
    ("digest", "Digest: sha256:" + "ab12" * 16 + "\n", "Digest: sha256:" + "9f0e" * 16 + "\n", "digest"),
    ("generated-suffix", "dataplane-kong-tkbct-snkrk   1/1\n", "dataplane-kong-8xw2q-mvbz4   1/1\n", "k8s-name"),
    ("ipv6", "inet6 fe80::42:acff:fe11:2/64\n", "inet6 fe80::42:acff:fe11:5/64\n", "ip"),
    ("ip-port", "Listening on 127.0.0.1:43817\n", "Listening on 127.0.0.1:35121\n", "port"),
    ("node-port", "redis   NodePort   10.96.1.4   <none>   6379:31234/TCP   5s\n",
     "redis   NodePort   10.96.7.9   <none>   6379:30080/TCP   9m\n", "port"),
    ("temp-path", "wrote /tmp/tmp.k3J9xQ2aBc/out.txt\n", "wrote /tmp/tmp.Zz81LmPq0W/out.txt\n", "temp-path"),
    ("python-address", "<__main__.Point object at 0x7f3b2c1d4e50>\n", "<__main__.Point object at 0x7fa01e2b9c10>\n",
     "address"),
    ("background-job", "[1] 4242\n", "[1] 17\n", "job-pid"),
    ("job-notices-left-out", "Serving on port 8000\n", "[1] 17\nServing on port 8000\n", "job-notice"),
    ("job-done-left-out", "after\n", "[1]+  Done                    sleep 1\nafter\n", "job-notice"),
    ("xtrace-of-a-step", "+ echo hello\nhello\n", "++ echo hello\nhello\n", "xtrace-level"),
    ("xtrace-with-substitution", "++ date +%F\n+ echo 2024-05-01\n", "+++ date +%F\n++ echo 2024-05-01\n",
     "xtrace-level"),
    ("job-stopped-by-the-tutorial", "", "[1]+  Terminated              python3 -m http.server\n", "job-notice"),
    ("ls-l-date", "-rw-r--r-- 1 tutor tutor 12 Nov 23 01:05 notes.txt\n",
     "-rw-r--r-- 1 tutor tutor 12 Jan  2  2027 notes.txt\n", "date"),
    ("ansi-colour", "\x1b[32mPASSED\x1b[0m 3 tests\n", "PASSED 3 tests\n", "ansi"),
    ("git-commit-all-digit-hash", "[main 3f2a1bc] Add a note\n", "[main 5959574] Add a note\n", "hex"),
    ("set-hash-order", "{'cherry', 'banana', 'apple'}\n", "{'apple', 'banana', 'cherry'}\n", "unordered"),
    ("frozenset-order", "frozenset({3, 1, 2})\n", "frozenset({1, 2, 3})\n", "unordered"),
    ("dict-order-nested-set", "{'b': {2, 1}, 'a': [1, 2]}\n", "{'a': [1, 2], 'b': {1, 2}}\n", "unordered"),
    ("json-object-key-order", '{"name": "web", "port": 80}\n', '{"port": 80, "name": "web"}\n', "unordered"),
    # how pages show a terminal (extractor/rendered.py)
    ("carriage-return-progress", "collected 3 items\n", "collecting ... \rcollected 3 items\n", "carriage-return"),
    ("carriage-return-erase", "Done\n", "Downloading 42%\r\x1b[KDone\n", "carriage-return"),
    ("carriage-return-both", "collecting ...\rcollected 3 items\n", "collected 3 items\n", "carriage-return"),
    ("rule-line-titled", "=" * 26 + " test session starts " + "=" * 27 + "\n",
     "=" * 29 + " test session starts " + "=" * 30 + "\n", "rule-line"),
    ("rule-line-bare", "-" * 76 + "\nok\n", "-" * 80 + "\nok\n", "rule-line"),
    ("rule-line-duration", "=" * 30 + " 1 passed in 0.12s " + "=" * 30 + "\n",
     "=" * 31 + " 1 passed in 0.01s " + "=" * 32 + "\n", "rule-line"),
    ("version-placeholder", "platform linux -- Python 3.x.y, pytest-8.x.y, pluggy-1.x.y\n",
     "platform linux -- Python 3.11.2, pytest-8.3.4, pluggy-1.5.0\n", "version"),
    ("version-placeholder-tail", "Python 3.x\nlib 1.2.x\n", "Python 3.11.2\nlib 1.2.10\n", "version"),
    ("version-placeholder-packaged", "pluggy-1.x.y\n", "pluggy-1.0.0+repack\n", "version"),
    # a page captured through a pipe shows a progress line's pieces one after another
    ("carriage-return-joined", "collecting ... collected 3 items\n", "collecting ... \rcollected 3 items    \n",
     "carriage-return"),
    ("placeholder-path-temp", "p = PosixPath('BASE_TEMP/test_a0')\n",
     "p = PosixPath('/tmp/pytest-of-x/pytest-0/test_a0')\n", "placeholder-path"),
    ("placeholder-path-prefix", "Python 3.x.y at $VENV/bin/python\n", "Python 3.11.2 at /usr/bin/python3\n",
     "placeholder-path"),
    ("placeholder-path-angled", "Documenting <project-dir>/src/lib.rs\n", "Documenting /home/tutor/app/src/lib.rs\n",
     "placeholder-path"),
]


@pytest.mark.parametrize("expected, actual, rule", [m[1:] for m in MATCHES], ids=[m[0] for m in MATCHES])
def test_when_only_volatile_parts_change_then_it_matches_and_names_the_rule(expected: str, actual: str,
                                                                            rule: str) -> None:
    c = compare(expected, actual)
    assert c.ok, c.diff
    assert c.match == ("exact" if rule == "exact" else "normalized")
    assert rule in rules_of(c), c.rule
    assert c.diff == ""


# (id, expected, actual): a real change of value that must still fail
REFUSALS = [
    ("carriage-return-final-text-changed", "collected 3 items\n", "collecting ...\rcollected 2 items\n"),
    ("carriage-return-leaves-the-tail", "Done\n", "Downloading 42%\rDone\n"),  # the screen shows "Doneloading 42%"
    ("carriage-return-not-a-newline", "collecting ...\ncollected 3 items\n", "collecting ...\rcollected 3 items\n"),
    ("rule-line-title-changed", "=" * 20 + " 1 passed in 0.1s " + "=" * 20 + "\n",
     "=" * 25 + " 1 failed in 0.1s " + "=" * 25 + "\n"),
    ("rule-line-char-changed", "=" * 30 + " FAILURES " + "=" * 30 + "\n", "_" * 30 + " FAILURES " + "_" * 30 + "\n"),
    ("rule-line-bare-char-changed", "=" * 40 + "\n", "-" * 40 + "\n"),
    ("rule-line-short-runs-are-text", "---\n", "-----\n"),
    ("carriage-return-joined-text-changed", "collecting ... collected 3 items\n",
     "collecting ... \rcollected 2 items\n"),
    ("placeholder-path-rest-of-line-changed", "rootdir: $HOME/shop, 2 items\n", "rootdir: /home/tutor/shop, 3 items\n"),
    ("placeholder-path-not-a-path", "$PREFIX/bin/tool\n", "tool: not found\n"),
    ("placeholder-path-a-relative-path-is-text", "src/main.rs\n", "/home/tutor/main.rs\n"),
    ("placeholder-path-only-on-the-article-side", "/usr/bin/python3\n", "$VENV/bin/python\n"),
    ("version-fixed-part-changed", "pytest-3.x.y\n", "pytest-8.3.4\n"),
    ("version-minor-fixed", "lib 1.2.x\n", "lib 1.3.0\n"),
    ("version-label-only-after-a-placeholder", "lib 1.2.0\n", "lib 1.2.0+repack\n"),
    ("version-rest-of-line-changed", "Python 3.x.y ready\n", "Python 3.11.2 failed\n"),
    ("version-placeholder-only-on-the-article-side", "Python 3.11.2\n", "Python 3.x.y\n"),
    ("ready-1-1-vs-0-1", DEPLOY, DEPLOY.replace("1/1", "0/1")),
    ("xtrace-other-command", "+ echo hello\nhello\n", "++ echo bye\nbye\n"),
    ("diff-header-not-a-trace", "+ added\n+++ b/file\n", "+ added\n++ b/file\n"),
    ("background-job-failed", "built\n", "built\n[1]+  Exit 2                  make\n"),
    ("job-notice-shown-differs", "[1]+  Done                    make\n", "[1]+  Exit 2                  make\n"),
    ("running-vs-error", PODS, PODS.replace("Running", "Error  ")),
    ("different-word", "namespace/moelove created\n", "namespace/moelove configured\n"),
    ("missing-line", PODS, "\n".join(PODS.splitlines()[:2]) + "\n"),
    ("extra-line", DEPLOY, DEPLOY + "redis2  1/1     1            1           3s\n"),
    ("missing-row-in-events", EVENTS, "\n".join(EVENTS_RERUN.splitlines()[:-1]) + "\n"),
    ("different-deployment-name", PODS, PODS.replace("redis-687967dbc5-27vmr", "nginx-687967dbc5-27vmr")),
    ("different-namespace-in-table", GATEWAY, GATEWAY_RERUN.replace("default", "kong-system")),
    ("event-reason", EVENT_YAML, EVENT_YAML_RERUN.replace("reason: Scheduled", "reason: FailedScheduling")),
    ("restart-count", PODS, PODS.replace("Running        0", "Running        3")),
    ("plain-number", "count: 43\n", "count: 44\n"),
    ("exit-message", "hello, world\n", "hello world\n"),
    ("ellipsis-still-needs-the-anchors", "Name: redis\n...\nEvents:\n", "Name: nginx\nNamespace: x\nEvents:\n"),
    ("ellipsis-order-matters", "Status: Running\n...\nName: redis\n", "Name: redis\nStatus: Running\n"),
    ("ellipsis-overlap", "a\n...\na\n", "a\n"),
    ("ellipsis-not-inline", "Pulling ... done\n", "Pulling image redis done\n"),
    ("status-column", "NAME  STATUS\nweb   Up 2 minutes\n", "NAME  STATUS\nweb   Exited (1) 2 minutes ago\n"),
    ("empty-vs-something", "", "Error: no such file\n"),
    ("word-is-not-a-k8s-suffix", "pod/redis-master created\n", "pod/redis-worker created\n"),
    ("file-size-in-ls", "-rw-r--r-- 1 tutor tutor 12 Nov 23 01:05 notes.txt\n",
     "-rw-r--r-- 1 tutor tutor 13 Nov 23 01:05 notes.txt\n"),
    ("job-number", "[1] 4242\n", "[2] 4242\n"),
    ("yaml-indentation", "metadata:\n  name: redis\n", "metadata:\nname: redis\n"),
    ("version-is-not-an-age", "kubectl v1.28.2\n", "kubectl v1.29.0\n"),
    ("cpu-request-is-not-an-age", "    cpu: 250m\n", "    cpu: 500m\n"),
    ("flag-value-is-not-an-age", "--timeout=5m\n", "--timeout=10m\n"),
    ("json-value-is-not-an-age", '{"interval": "30s"}\n', '{"interval": "60s"}\n'),
    ("set-member-changed", "{'cherry', 'banana', 'apple'}\n", "{'apple', 'banana', 'grape'}\n"),
    ("set-int-vs-float", "{1, 2}\n", "{1.0, 2}\n"),
    ("set-true-vs-one", "{True}\n", "{1}\n"),
    ("empty-set-vs-empty-dict", "set()\n", "{}\n"),
    ("list-order-matters", "[{1}, {2}]\n", "[{2}, {1}]\n"),
    ("dict-value-changed", "{'a': 1, 'b': 2}\n", "{'b': 2, 'a': 3}\n"),
    ("set-vs-frozenset", "{1, 2}\n", "frozenset({1, 2})\n"),
]


@pytest.mark.parametrize("expected, actual", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_when_a_value_really_changes_then_it_is_a_mismatch_with_a_diff(expected: str, actual: str) -> None:
    c = compare(expected, actual)
    assert c.match == "mismatch"
    assert c.rule == ""
    assert c.diff.startswith("--- expected (normalized)\n+++ actual (normalized)\n")


def test_when_mismatched_then_the_diff_shows_the_normalised_texts() -> None:
    c = compare(DEPLOY, DEPLOY.replace("1/1", "0/1").replace("11s", "5m"))
    assert "-redis | 1/1 | 1 | 1 | <age>" in c.diff
    assert "+redis | 0/1 | 1 | 1 | <age>" in c.diff
    assert " NAME | READY | UP-TO-DATE | AVAILABLE | AGE" in c.diff


def test_when_an_age_column_changes_width_then_the_rule_is_the_table() -> None:
    c = compare(EVENTS, EVENTS_RERUN)
    assert rules_of(c) >= {"table", "k8s-name", "duration"}


def test_when_generated_names_are_normalised_then_the_stable_prefix_is_kept() -> None:
    lines = normalize("pod/redis-687967dbc5-27vmr\nreplicaset/redis-687967dbc5\nmoe-bfwnl\n")
    assert lines == ["pod/redis-<hash>-<id>", "replicaset/redis-<hash>", "moe-<id>"]


def test_token_rules_are_a_table_of_named_patterns() -> None:
    names = {r.name for r in TOKEN_RULES}
    assert {"age", "timestamp", "date", "duration", "hex", "digest", "k8s-name", "uuid", "ip", "port",
            "temp-path"} <= names
    assert STAGES[:3] == ("carriage-return", "whitespace", "rule-line")
    assert STAGES[-3:] == ("version", "placeholder-path", "ellipsis")
    for rule in TOKEN_RULES:
        assert rule.pattern.sub(rule.placeholder, "namespace/moelove created") == "namespace/moelove created", rule.name


def test_comparison_is_frozen() -> None:
    c = compare("a\n", "b\n")
    with pytest.raises(AttributeError):
        c.match = "exact"  # type: ignore[misc]


# (rule, text it must leave alone): shapes that look close to a volatile token but carry meaning
LOOKALIKES = [
    ("age", "READY 1/1"), ("age", "kubectl v1.28.2"), ("age", "(x4 over"), ("age", "kind-worker3"),
    ("age", "replicas: 3"), ("age", "port 8080/tcp"),
    ("hex", "deadbeef"), ("hex", "1234567"), ("hex", "moelove"), ("hex", "sha256sum"),
    ("k8s-name", "redis-master"), ("k8s-name", "kube-system"), ("k8s-name", "non-exist"),
    ("k8s-name", "kind-worker3"), ("k8s-name", "ghcr.io/moelove/redis:alpine"), ("k8s-name", "gateway-operator"),
    ("k8s-name", "kong-system"), ("k8s-name", "up-to-date"),
    ("uuid", "71b97182-5593-47b2-88cc"), ("ip", "version 1.2.3"), ("ip", "std::cout"), ("ip", "a::b"),
    ("ip", "abc::def"),
    ("timestamp", "released in 2021"), ("date", "12-28"), ("time", "ratio 16:9"),
    ("duration", "3 replicas"), ("duration", "version 1.2"), ("port", "-p 8080:80"), ("port", "80:80/TCP"),
    ("temp-path", "/tmpfs"), ("temp-path", "/home/tutor/tmp/notes"), ("address", "0x10"),
    ("job-pid", "[1/3] building"), ("digest", "sha256sum file"), ("k8s-resource-version", "version: 3"),
]


@pytest.mark.parametrize("name, text", LOOKALIKES, ids=[f"{n}:{t}" for n, t in LOOKALIKES])
def test_when_text_only_looks_volatile_then_the_rule_leaves_it_alone(name: str, text: str) -> None:
    rules = [r for r in TOKEN_RULES if r.name == name]
    assert rules, name
    for rule in rules:
        assert rule.pattern.sub(rule.placeholder, text) == text


@pytest.mark.parametrize(("expected", "actual"), [
    ("Updating 1a2b3c4..4d5e6f7\n...\n", "Updating 1a2b3c4..4d5e6f7\nerror: Your local changes would be overwritten\n"),
    ("Auto-merging x\n...\n", "Auto-merging x\nCONFLICT (content): Merge conflict in x\n"),
    ("Connecting to db\n...\n", "Connecting to db\nPassword for tutor:\n"),
    ("Building\n...\nTraceback (most recent call last):\n...\n", "Building\nok\nBuilt\n"),
], ids=["hidden-error", "hidden-conflict", "hidden-prompt", "error-shown-not-seen"])
def test_an_elision_never_hides_a_different_outcome(expected: str, actual: str) -> None:
    c = compare(expected, actual)
    assert c.match == "mismatch"
    assert c.diff.startswith("# outcome differs: ") or "Traceback" in c.diff


def test_an_elision_still_matches_when_both_sides_show_the_same_outcome() -> None:
    c = compare("Auto-merging x\n...\nAutomatic merge failed; fix conflicts and then commit the result.\n",
                "Auto-merging x\nCONFLICT (content): Merge conflict in x\n"
                "Automatic merge failed; fix conflicts and then commit the result.\n")
    assert (c.match, c.rule) == ("normalized", "ellipsis")


def test_the_terminal_rules_keep_their_own_names_when_they_combine() -> None:
    expected = "=" * 20 + " test session starts " + "=" * 20 + "\nplatform linux -- Python 3.x.y\ncollected 1 item\n"
    actual = ("=" * 29 + " test session starts " + "=" * 30 + "\r\nplatform linux -- Python 3.11.2\r\n"
              "collecting ... \rcollected 1 item\r\n")
    c = compare(expected, actual)
    assert (c.match, rules_of(c)) == ("normalized", {"carriage-return", "whitespace", "rule-line", "version"}), c.diff


def test_a_rule_line_under_a_table_header_is_not_a_titled_rule() -> None:
    assert normalize("---- ---- ----\n") == ["---- ---- ----"]
    assert normalize("=" * 12 + " FAILURES " + "=" * 3 + "\n") == ["<=> FAILURES <=>"]
