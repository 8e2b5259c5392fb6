"""Data the understanding rules consult: label aliases, what a base image has, tool needs.

Tables, not if-chains: extending tutorcheck to a new CLI or highlighter label is an edit here.
"""

from __future__ import annotations

# Highlighter label → real language name (the vocabulary of labels.yaml, plus a few more).
LABEL_LANGS: dict[str, str] = {
    **dict.fromkeys(
        ("bash", "sh", "shell", "zsh", "console", "shell-session", "shellsession", "terminal",
         "ksh", "fish", "shellscript", "bash-session", "sh-session", "cli", "cmd", "powershell",
         "ps1", "posh", "pwsh", "bat", "batch"), "shell"),
    **dict.fromkeys(("python", "py", "python3", "pycon", "ipython", "py3"), "python"),
    **dict.fromkeys(("yaml", "yml"), "yaml"),
    **dict.fromkeys(("json", "jsonc", "json5"), "json"),
    **dict.fromkeys(("go", "golang"), "go"),
    **dict.fromkeys(("dockerfile", "docker", "containerfile"), "dockerfile"),
    **dict.fromkeys(("text", "plaintext", "plain", "txt", "none", "output", "log", "nohighlight"), "text"),
    **dict.fromkeys(("javascript", "js", "jsx", "node", "mjs", "cjs"), "javascript"),
    **dict.fromkeys(("typescript", "ts", "tsx"), "typescript"),
    **dict.fromkeys(("rust", "rs"), "rust"),
    **dict.fromkeys(("toml",), "toml"),
    **dict.fromkeys(("ini", "cfg", "conf", "properties"), "ini"),
    **dict.fromkeys(("hcl", "terraform", "tf"), "hcl"),
    **dict.fromkeys(("html", "xml", "svg"), "html"),
    **dict.fromkeys(("java",), "java"),
    **dict.fromkeys(("c", "h"), "c"),
    **dict.fromkeys(("cpp", "c++", "cc", "hpp"), "cpp"),
    **dict.fromkeys(("sql",), "sql"),
    **dict.fromkeys(("markdown", "md"), "markdown"),
    **dict.fromkeys(("diff", "patch"), "diff"),
    **dict.fromkeys(("css", "scss", "sass", "less"), "css"),
    **dict.fromkeys(("nginx", "nginxconf"), "nginx"),
    **dict.fromkeys(("makefile", "make", "mk"), "makefile"),
    **dict.fromkeys(("dotenv", "env"), "dotenv"),
    **dict.fromkeys(("jinja", "jinja2", "django", "htmldjango", "html+django", "html+jinja", "twig", "liquid",
                     "nunjucks", "njk", "handlebars", "hbs", "mustache", "erb", "html+erb", "gotmpl",
                     "go-html-template", "go-text-template", "gohtml", "tmpl", "j2"), "template"),
}

# Labels that say "no particular language": never a lie, whatever the block holds.
NEUTRAL_LABELS = frozenset({"text", "plaintext", "plain", "txt", "none", "output", "log", "nohighlight",
                            "console", "terminal", "shell-session", "shellsession"})

# Programs in the sandbox's plain image (Debian bookworm minimal + the toolbox packages of
# sandboxes/toolbox/packages.txt). Anything else a command runs is reported as ``tool:NAME``.
BASE_PROGRAMS = frozenset("""
bash sh dash env
ls cat echo printf mkdir rmdir cp mv rm touch chmod chown chgrp ln head tail wc sort uniq cut tr tee
date sleep true false basename dirname pwd whoami id uname sha1sum sha224sum sha256sum sha384sum
sha512sum md5sum b2sum base32 base64 seq yes stat du df mktemp readlink realpath nproc tac paste
join split fold od expr timeout install nl comm csplit shuf sync truncate hostname test [ numfmt
printenv nohup nice stdbuf tty dd cksum sum unlink
find xargs grep egrep fgrep sed awk mawk diff cmp diff3 sdiff patch
tar gzip gunzip zcat xz unxz unzip zip column
curl wget git python3 pip3 pip jq less more file which ps top kill pkill pgrep free uptime watch
make openssl perl gpg nc tree apt apt-get dpkg update-ca-certificates useradd groupadd su login
""".split())

# Shell builtins and keywords: never a tool, never a need.
SHELL_BUILTINS = frozenset("""
cd export source . set unset alias unalias read eval exec exit return shift : [[ let local declare
typeset readonly pushd popd dirs builtin command type hash trap ulimit umask wait jobs bg fg
history time getopts shopt complete if then else elif fi for while until do done case esac
function select break continue enable logout mapfile readarray disown suspend caller compgen
""".split())

# Common CLIs: a first word in here (or in the sets above) makes a line look like a command.
KNOWN_CLIS = frozenset("""
kubectl helm kind minikube k3d k3s kubeadm kustomize istioctl linkerd argocd flux skaffold tilt
docker podman buildah nerdctl crictl ctr docker-compose compose
npm npx yarn pnpm node deno bun tsc
pip pipx poetry uv virtualenv conda python3 python pytest ruff mypy black flake8 jupyter
go gofmt cargo rustc rustup java javac mvn gradle dotnet ruby gem bundle rails php composer
brew apt apt-get apk yum dnf pacman snap zypper port choco winget scoop
terraform tofu packer vagrant ansible ansible-playbook pulumi
aws gcloud gsutil az doctl civo linode-cli hcloud flyctl fly heroku vercel netlify gh glab
ssh scp rsync sftp systemctl journalctl service
shasum sha256sum openssl gpg vault consul nomad etcdctl redis-cli psql mysql mongosh sqlite3
hugo jekyll mkdocs sphinx-build make cmake ninja gcc g++ clang
wrk ab hey k6 httpie http telnet tmux screen watch htop strace nmap
""".split())

# Programs of a desktop session: they draw on a display or talk to its window manager (also
# when they are what a command acts on: ``killall i3bar``).
GUI_PROGRAMS = frozenset("""
i3 i3-msg i3bar i3-dump-log i3-nagbar i3-save-tree i3-input i3lock xprop xdotool xrandr xev xwininfo xinput
xset xsetroot xmodmap
xrdb xclip xsel xterm xdpyinfo wmctrl feh dmenu sway swaymsg gnome-shell gnome-terminal gsettings
notify-send zenity firefox chromium google-chrome code gvim emacsclient
""".split())
# Programs and device paths of the reader's hardware: USB boards, serial ports, disks.
HARDWARE_PROGRAMS = frozenset("""
lsusb lspci openocd probe-rs st-flash st-info avrdude esptool esptool.py dfu-util picocom minicom
screen-serial fdisk parted mkfs hdparm
""".split())
HARDWARE_PATHS = ("/dev/bus/", "/dev/tty", "/dev/sd", "/dev/nvme", "/dev/disk/", "/dev/mmcblk", "/dev/video",
                  "/dev/snd", "/dev/input", "/sys/bus/usb")
# Folders of the system: writing there needs root (``cp x /usr/local/bin/``, ``> /etc/hosts``).
SYSTEM_DIRS = ("/usr/", "/etc/", "/opt/", "/lib/", "/lib64/", "/bin/", "/sbin/", "/boot/", "/var/lib/",
               "/var/log/", "/var/cache/")

# Cloud and hosted-service CLIs: they talk to an API with the reader's credentials.
CREDENTIALED_CLIS = frozenset("""
aws gcloud gsutil az doctl civo linode-cli hcloud flyctl fly heroku vercel netlify gh glab
pulumi vault
""".split())

# Program → subcommands that publish under the reader's account on a registry (its credentials):
# ``rake release`` (Bundler's gem tasks: tag, push the gem), ``gem push``, ``twine upload``.
PUBLISHES: dict[str, frozenset[str]] = {
    "rake": frozenset({"release"}), "gem": frozenset({"push", "yank", "owner"}), "twine": frozenset({"upload"}),
}

# Program → options that make it reach the network: ``gbp import-orig --uscan`` downloads the
# new upstream release (uscan) before importing it.
NETWORK_OPTIONS: dict[str, frozenset[str]] = {"gbp": frozenset({"--uscan"})}

# Toolchains whose subcommands beyond their own are programs of their own (``cargo clippy`` runs
# ``cargo-clippy``, from another package): program → its built-in subcommands.
BUILTIN_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "cargo": frozenset("""
add b bench build c check clean config d doc fetch fix generate-lockfile help init install locate-project
login logout metadata new owner package pkgid publish r read-manifest remove report run rustc rustdoc search
t test tree uninstall update vendor verify-project version yank
""".split()),
}

# Program → subcommands that reach the network (None: every use does).
NETWORK_SUBCOMMANDS: dict[str, frozenset[str] | None] = {
    "curl": None, "wget": None, "ssh": None, "scp": None, "sftp": None, "ping": None,
    "git": frozenset({"clone", "fetch", "pull", "push", "ls-remote", "submodule"}),
    "npm": frozenset({"install", "i", "ci", "publish", "update", "add", "view", "info", "login",
                      "adduser", "init *", "create", "exec", "outdated", "audit"}),
    "npx": None, "yarn": frozenset({"install", "add", "upgrade", "dlx", "create", "publish"}),
    "pnpm": frozenset({"install", "i", "add", "update", "dlx", "create", "publish"}),
    "pip": frozenset({"install", "download"}), "pip3": frozenset({"install", "download"}),
    "pipx": frozenset({"install", "run"}), "uv": frozenset({"pip", "add", "sync", "run", "tool"}),
    "poetry": frozenset({"install", "add", "update", "publish"}),
    # apt's package lists come from the mirrors (``apt update``): searching or showing them needs the network
    "apt": frozenset({"install", "update", "upgrade", "search", "show", "showsrc"}),
    "apt-get": frozenset({"install", "update", "upgrade"}),
    "apt-cache": frozenset({"search", "show", "showpkg", "showsrc", "depends", "rdepends", "pkgnames"}),
    "axi-cache": frozenset({"search", "show", "more", "again"}), "apt-file": frozenset({"search", "find", "list"}),
    "apk": frozenset({"add", "update"}), "yum": frozenset({"install", "update"}),
    "dnf": frozenset({"install", "update"}), "brew": frozenset({"install", "update", "upgrade", "tap"}),
    "go": frozenset({"get", "install", "mod download", "mod tidy", "mod vendor"}),
    "cargo": frozenset({"install", "build", "run", "add", "fetch", "update", "test", "check", "bench", "doc",
                        "search", "publish", "generate-lockfile"}),
    "rsync": frozenset(),  # remote or local: decided by its arguments (toolchains.py)
    "gem": frozenset({"install"}), "winget": frozenset({"install", "upgrade"}),
    "rustup": frozenset({"install", "update", "toolchain install", "target add", "component add", "self update"}),
    "bundle": frozenset({"install", "update"}), "mkdocs": frozenset({"gh-deploy"}),
    "composer": frozenset({"install", "require", "update", "create-project"}),
    "dupload": None, "dput": None, "dget": None, "uscan": None, "gbp": frozenset({"clone", "pull"}),
    "choco": frozenset({"install", "upgrade"}), "scoop": frozenset({"install", "update"}),
    "docker": frozenset({"pull", "push", "login", "run", "build"}),
    "helm": frozenset({"repo", "install", "upgrade", "pull", "search", "dependency", "push"}),
    "terraform": frozenset({"init", "apply", "plan", "destroy"}),
    **dict.fromkeys(CREDENTIALED_CLIS, None),
}

# Program → the words that make it remove a package: what it removes an earlier step installed.
UNINSTALLS: dict[str, frozenset[str]] = {
    "dpkg": frozenset({"-r", "-P", "--remove", "--purge"}),
    **dict.fromkeys(("apt", "apt-get"), frozenset({"remove", "purge"})),
    **dict.fromkeys(("pip", "pip3", "npm", "gem", "cargo"), frozenset({"uninstall"})),
}

# Program → subcommands that do NOT need a Kubernetes cluster (every other use does).
CLUSTER_FREE_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "kubectl": frozenset({"config", "completion", "plugin", "kustomize", "help"}),
    "helm": frozenset({"repo", "search", "template", "lint", "create", "package", "pull", "show",
                       "dependency", "env", "plugin", "completion", "version", "help", "push", "registry"}),
}

# Standard variables a shell always has: using them needs nothing.
STANDARD_VARS = frozenset("""
HOME PATH USER PWD OLDPWD SHELL TERM LANG LC_ALL HOSTNAME UID EUID PPID RANDOM SECONDS LINENO
IFS PS1 PS2 TMPDIR EDITOR PAGER BASH_VERSION BASH_SOURCE OSTYPE MACHTYPE HOSTTYPE SHLVL
""".split())

# Words that make a variable or placeholder a credential.
CREDENTIAL_WORDS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "ACCESS_KEY",
                    "PRIVATE_KEY", "CREDENTIAL", "AUTH")

# Kubernetes API groups that come with every cluster (anything else needs its CRDs installed).
BUILTIN_K8S_GROUPS = frozenset("""
apps batch autoscaling policy networking.k8s.io rbac.authorization.k8s.io storage.k8s.io
apiextensions.k8s.io admissionregistration.k8s.io certificates.k8s.io coordination.k8s.io
discovery.k8s.io events.k8s.io node.k8s.io scheduling.k8s.io flowcontrol.apiserver.k8s.io
apiregistration.k8s.io resource.k8s.io
""".split())

# Namespaces and resource types every cluster has: reading them needs no earlier step.
ALWAYS_THERE_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})
# Resource types of a plain cluster (anything else is a custom resource).
BUILTIN_RESOURCES = frozenset("""
pod pods po service services svc deployment deployments deploy replicaset replicasets rs daemonset
daemonsets ds statefulset statefulsets sts configmap configmaps cm secret secrets serviceaccount
serviceaccounts sa endpoints ep event events ev job jobs cronjob cronjobs cj ingress ingresses ing
role roles rolebinding rolebindings networkpolicy networkpolicies netpol pv pvc
persistentvolumes persistentvolumeclaims lease leases all
""".split())
ALWAYS_THERE_RESOURCES = frozenset("""
node nodes no namespace namespaces ns crd crds customresourcedefinitions storageclass
storageclasses sc apiservices clusterroles clusterrole componentstatuses cs priorityclasses
""".split())
