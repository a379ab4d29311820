"""Seeded YAML mutator and result classifier for fuzzing ionpath's input files.

Reusable for any YAML input (run configs, sweep files): `mutants(base_texts, count, seed)` yields
(name, kind, text) deterministically; `classify(result, path)` says whether ionpath reacted
cleanly. Only the standard library and PyYAML (python3-yaml) are used.
"""
import math
import random
import re

import yaml

HUGE = ["1e308", "-1e308", "1e400", "-1", "0", "-0.0", ".nan", ".inf", "-.inf", "nan", "1e-320",
        "9223372036854775808", "2147483648", "-2147483649", "1e9", "4294967296"]
WRONG = ["[1, 2]", "{a: 1}", "[]", "{}", "''", "true", "null", "~", "abc", "'1e-6'", "0x1F", "1_000",
         "[[1]]", "!!binary aGVsbG8=", "&a 1", "2001-12-14", "'\\x00'"]
UNITS = ["1 um", "0.5e-6 m", "5 um", "300 K", "1mS/cm", "20%", "1e-6m", "3 nm"]


def _paths(node, prefix=()):
    """Every (path, value) in a parsed YAML tree (maps and lists)."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((prefix + (k,), v))
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((prefix + (i,), v))
            out += _paths(v, prefix + (i,))
    return out


def _parent(tree, path):
    for p in path[:-1]:
        tree = tree[p]
    return tree


def _dump(tree):
    return yaml.safe_dump(tree, sort_keys=False, default_flow_style=None)


def _misspell(key, rng):
    key = str(key)
    if len(key) < 2:
        return key + "x"
    i = rng.randrange(len(key) - 1)
    op = rng.randrange(4)
    if op == 0:
        return key[:i] + key[i + 1] + key[i] + key[i + 2:]  # swap
    if op == 1:
        return key[:i] + key[i + 1:]  # drop
    if op == 2:
        return key[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz_") + key[i:]  # insert
    return key.upper() if rng.random() < 0.5 else re.sub(r"_(m|s|K|V)$", r"_u\1", key) + ("" if key.endswith(("_m", "_s", "_K", "_V")) else "_mm")


def _structured(text, rng):
    """One mutation of the parsed tree: (kind, new text)."""
    tree = yaml.safe_load(text)
    paths = _paths(tree)
    path, value = rng.choice(paths)
    parent = _parent(tree, path)
    key = path[-1]
    kind = rng.choice(["delete", "misspell", "wrong_type", "extreme", "bad_unit", "extra_key", "nest"])
    if kind == "delete":
        del parent[key]
    elif kind == "misspell" and isinstance(parent, dict):
        parent[_misspell(key, rng)] = parent.pop(key)
    elif kind == "wrong_type":
        parent[key] = yaml.safe_load(rng.choice([w for w in WRONG if not w.startswith(("!!", "&"))]))
    elif kind == "extreme":
        parent[key] = float(rng.choice(HUGE).replace(".nan", "nan").replace(".inf", "inf").replace("nan", "nan")) \
            if rng.random() < 0.7 else int(rng.choice(["-1", "0", "2147483648", "9223372036854775807"]))
    elif kind == "bad_unit":
        parent[key] = rng.choice(UNITS)
    elif kind == "extra_key" and isinstance(parent, dict):
        parent[rng.choice(["foo", str(key) + "_x", "n_cell", "volume_fracton", "seeed"])] = 1
    else:
        kind = "nest"
        parent[key] = {"nested": value}
    return kind, _dump(tree)


def _textual(text, rng):
    """Mutations below the YAML level: duplicates, broken syntax, binary, sizes, nesting."""
    lines = text.splitlines()
    kind = rng.choice(["duplicate_line", "truncate", "bad_indent", "tab", "unbalanced", "binary", "empty",
                       "huge_file", "deep_nesting", "deep_list", "alias_bomb", "scalar_root", "list_root",
                       "unicode", "nul_bytes", "replace_value_text", "comment_only"])
    if kind == "duplicate_line" and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return kind, "\n".join(lines) + "\n"
    if kind == "truncate":
        return kind, text[: rng.randrange(1, max(2, len(text)))]
    if kind == "bad_indent" and lines:
        i = rng.randrange(len(lines))
        lines[i] = " " * rng.choice([1, 3, 5]) + lines[i]
        return kind, "\n".join(lines) + "\n"
    if kind == "tab" and lines:
        i = rng.randrange(len(lines))
        lines[i] = "\t" + lines[i].lstrip()
        return kind, "\n".join(lines) + "\n"
    if kind == "unbalanced":
        return kind, text.replace("]", "", 1) if "]" in text else text + "{\n"
    if kind == "binary":
        return kind, "".join(chr(rng.randrange(256)) for _ in range(rng.randrange(1, 2000)))
    if kind == "empty":
        return kind, rng.choice(["", "\n", "   \n", "---\n", "...\n", "~\n"])
    if kind == "huge_file":
        return kind, text + "".join(f"# padding line {i}\n" for i in range(200000))
    if kind == "deep_nesting":
        depth = rng.choice([50, 1000, 20000])
        return kind, text + "extra: " + "{a: " * depth + "1" + "}" * depth + "\n"
    if kind == "deep_list":
        depth = rng.choice([50, 1000, 20000])
        return kind, "grid:\n  n_cells: " + "[" * depth + "1" + "]" * depth + "\n" + text
    if kind == "alias_bomb":
        bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for i in range(1, 9):
            bomb += f"a{i}: &a{i} [*{'a' if i == 1 else 'a' + str(i - 1)}" + f", *{'a' if i == 1 else 'a' + str(i - 1)}" * 8 + "]\n"
        return kind, text + bomb
    if kind == "scalar_root":
        return kind, "just a string\n"
    if kind == "list_root":
        return kind, "- grid\n- geometry\n"
    if kind == "unicode":
        return kind, text.replace("grid", "grïd", 1)
    if kind == "nul_bytes":
        i = rng.randrange(max(1, len(text)))
        return kind, text[:i] + "\x00" + text[i:]
    if kind == "comment_only":
        return kind, "# nothing here\n"
    # replace_value_text: a value replaced in the text (keeps comments and layout)
    values = [m for m in re.finditer(r":\s+([^#\n{}\[\]]+?)\s*(#|$)", text, re.M)]
    if not values:
        return "replace_value_text", text
    m = rng.choice(values)
    new = rng.choice(HUGE + WRONG + UNITS)
    return "replace_value_text", text[: m.start(1)] + new + text[m.end(1):]


def mutants(base_texts, count, seed):
    """`count` mutants of the base files, deterministic for a seed: (name, kind, text)."""
    rng = random.Random(seed)
    for i in range(count):
        base_name, text = base_texts[i % len(base_texts)]
        steps = 1 if rng.random() < 0.7 else rng.randrange(2, 4)
        kinds = []
        for _ in range(steps):
            structured = rng.random() < 0.55
            # Walking an alias bomb's parsed tree visits 9^9 nodes (GBs): after one, text only.
            if structured and "alias_bomb" not in kinds:
                try:
                    kind, text = _structured(text, rng)
                except Exception:  # the text no longer parses as YAML: mutate it as text
                    kind, text = _textual(text, rng)
            else:
                kind, text = _textual(text, rng)
            kinds.append(kind)
        yield f"{i:04d}_{base_name}", "+".join(kinds), text


CRASH_MARKERS = ["terminate called", "what():", "Segmentation", "Aborted", "core dumped", "bad conversion",
                 "yaml-cpp", "std::bad_alloc", "PETSC ERROR", "stoi", "stod", "basic_string", "AddressSanitizer",
                 "runtime error:", "MPI_ABORT", "Assertion",
                 # yaml-cpp exceptions that escaped the readers (main's catch-all prints them, exit 1)
                 "invalid node", "bad subscript", "operator[] call on a scalar", "key not found"]


def classify(status, output, path, allowed=(0, 1, 2)):
    """'ok', or the reason the reaction was not clean: crash (signal, uncaught), hang, unclear."""
    if status == "timeout":
        return "hang"
    if not isinstance(status, int) or status < 0 or status > 128:
        return "crash"
    for marker in CRASH_MARKERS:
        if marker in output:
            return "crash" if marker not in ("stoi", "stod", "basic_string", "yaml-cpp", "bad conversion") else "unclear"
    if status not in allowed:
        return "crash"
    if status == 2:
        name = path.split("/")[-1]
        located = re.search(re.escape(name) + r"(:\d+:\d+)?: (key '[^']+'|the configuration|the sweep file|cannot open)",
                            output)
        # A valid config too big for this machine: refused with the plan and the key to change.
        refused = "ionpath: refused: the run would not fit in memory" in output and "grid.n_cells" in output
        if not located and not refused and "--set" not in output:
            return "unclear"
    if status == 1 and not re.search(r"ionpath: error:|ionpath sweep: .*(failed|error)", output):
        return "unclear"
    return "ok"
