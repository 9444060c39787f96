#!/usr/bin/env bash
# Runs z3 on every *.smt2 file next to this script and checks each claim's answer:
# a claim announced by `(echo "expect-unsat: ...")` must be answered unsat, one announced by
# `(echo "expect-sat: ...")` (a deliberately false variant) must be answered sat.
# Then compiles the Coq files of coq/ (in the order of coq/_CoqProject) with coqc and checks
# that every lemma they prove rests on no axiom beyond those of Coq's real numbers: each file
# is one check. Prints one line per claim or file and ends with "N passed, M failed".
#
# Usage: check.sh [--each]
#   --each  check every claim in a z3 process of its own (slower; shows that no answer
#           depends on the claims checked before it in the same file).
# Exit status: 0 all passed, 1 some claim or file failed, 2 z3 is not installed (nothing was
# checked). Without coqc the Coq files are skipped with a line saying so; that counts as a
# failure only when EMPKIT_REQUIRE_PROVERS=1.
# Environment: Z3 (the z3 executable, default `z3`), Z3_CLAIM_TIMEOUT (seconds per claim,
# default 60), Z3_FILE_TIMEOUT (seconds per z3 process, default 180; z3 does not always
# honour the per-claim limit, this one it does), COQC (the coqc executable, default `coqc`),
# COQ_FILE_TIMEOUT (seconds per Coq file, default 300), EMPKIT_REQUIRE_PROVERS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
z3="${Z3:-z3}"
claim_timeout="${Z3_CLAIM_TIMEOUT:-60}"
file_timeout="${Z3_FILE_TIMEOUT:-180}"
each=0
case "${1:-}" in
    "") ;;
    --each) each=1 ;;
    *) echo "usage: $0 [--each]" >&2; exit 64 ;;
esac

if ! command -v "$z3" >/dev/null 2>&1; then
    echo "z3 not found: the machine checks in Proofs/machine were not run" >&2
    exit 2
fi
echo "# $("$z3" --version)"

passed=0
failed=0

report() {  # report OK|FAIL file claim [detail]
    printf '%-4s  %s  %s%s\n' "$1" "$2" "$3" "${4:+  [$4]}"
    if [ "$1" = OK ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# check_output NAME EXPECTED_CLAIMS Z3_STATUS OUTPUT: pairs each announced claim with the
# answer that follows it. A z3 error (e.g. an undeclared name) fails the next claim.
check_output() {
    local name="$1" declared="$2" status="$3" out="$4"
    local pending="" errors="" seen=0 want line
    while IFS= read -r line; do
        case "$line" in
            expect-unsat:* | expect-sat:*)
                if [ -n "$pending" ]; then
                    report FAIL "$name" "$pending" "no answer"
                fi
                pending="$line"
                seen=$((seen + 1))
                ;;
            sat | unsat | unknown | timeout)
                if [ -z "$pending" ]; then
                    report FAIL "$name" "(unannounced check-sat)" "answered $line"
                    continue
                fi
                case "$pending" in
                    expect-unsat:*) want=unsat ;;
                    *) want=sat ;;
                esac
                if [ -n "$errors" ]; then
                    report FAIL "$name" "$pending" "z3 error: $errors"
                elif [ "$line" = "$want" ]; then
                    report OK "$name" "$pending"
                else
                    report FAIL "$name" "$pending" "expected $want, z3 answered $line"
                fi
                pending=""
                errors=""
                ;;
            "(error"*)
                errors="${errors:+$errors; }$line"
                ;;
            *) ;;
        esac
    done <<< "$out"
    if [ -n "$pending" ]; then
        report FAIL "$name" "$pending" "no answer (z3 exit status $status)"
    fi
    if [ -n "$errors" ]; then
        report FAIL "$name" "(after the last claim)" "z3 error: $errors"
    fi
    if [ "$seen" -ne "$declared" ]; then
        report FAIL "$name" "(claims announced: $seen of $declared)" "z3 stopped early, exit status $status"
    fi
}

run_z3() {  # run_z3 FILE: sets out and status
    set +e
    out="$("$z3" -T:"$file_timeout" -t:"$((claim_timeout * 1000))" "$1" 2>&1)"
    status=$?
    set -e
}

# only_claim K FILE: the file with every claim's echo and check command removed except the
# K-th (declarations, definitions and the other claims' push/assert/pop stay; comment lines
# are left alone).
only_claim() {
    awk -v k="$1" '
        /^[ \t]*;/ { print; next }
        {
            line = $0; res = ""
            while (match(line, /\(echo "expect-(un)?sat:[^"]*"\)|\(check-sat(-using [^)]*)?\)/)) {
                tok = substr(line, RSTART, RLENGTH)
                if (substr(tok, 1, 5) == "(echo") { e++; keep = (e == k) } else { c++; keep = (c == k) }
                res = res substr(line, 1, RSTART - 1) (keep ? tok : "")
                line = substr(line, RSTART + RLENGTH)
            }
            print res line
        }' "$2"
}

shopt -s nullglob
files=("$here"/*.smt2)
if [ ${#files[@]} -eq 0 ]; then
    echo "no .smt2 files in $here" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

tmp=""
trap '[ -z "$tmp" ] || rm -f "$tmp"' EXIT

for f in "${files[@]}"; do
    name="$(basename "$f")"
    declared=$(grep -v '^[[:space:]]*;' "$f" | grep -o '(echo "expect-\(un\)\{0,1\}sat:' | wc -l)
    start=$(date +%s%N)
    if [ "$each" -eq 0 ]; then
        run_z3 "$f"
        check_output "$name" "$declared" "$status" "$out"
    else
        tmp="$(mktemp "${TMPDIR:-/tmp}/emp-claim.XXXXXX")"
        for ((k = 1; k <= declared; k++)); do
            only_claim "$k" "$f" > "$tmp"
            run_z3 "$tmp"
            check_output "$name" 1 "$status" "$out"
        done
        rm -f "$tmp"
        tmp=""
    fi
    echo "# $name: $declared claims, $(( ($(date +%s%N) - start) / 1000000 )) ms"
done

# ---- Coq ----------------------------------------------------------------------------------
coqc="${COQC:-coqc}"
coq_timeout="${COQ_FILE_TIMEOUT:-300}"
coqdir="$here/coq"
# The axioms of Coq's standard real numbers (Reals) and of functional extensionality, which
# Reals uses; a lemma that rests on anything else (an Admitted lemma, an Axiom) fails its file.
allowed_axioms=" ClassicalDedekindReals.sig_forall_dec ClassicalDedekindReals.sig_not_dec FunctionalExtensionality.functional_extensionality_dep "

if [ ! -f "$coqdir/_CoqProject" ]; then
    report FAIL coq "(coq/_CoqProject missing)"
elif ! command -v "$coqc" >/dev/null 2>&1; then
    echo "# coqc not found: the Coq proofs in Proofs/machine/coq were not checked (apt-get install coq)"
    if [ "${EMPKIT_REQUIRE_PROVERS:-}" = 1 ]; then
        report FAIL coq "(coqc not installed)" "EMPKIT_REQUIRE_PROVERS=1"
    fi
else
    echo "# $("$coqc" --version | head -n 1)"
    coqtmp="$(mktemp -d "${TMPDIR:-/tmp}/emp-coq.XXXXXX")"
    trap '[ -z "$tmp" ] || rm -f "$tmp"; rm -rf "$coqtmp"' EXIT
    mapfile -t vfiles < <(grep -E '^[A-Za-z0-9_]+\.v$' "$coqdir/_CoqProject")
    for v in "$coqdir"/*.v; do
        case " ${vfiles[*]} " in
            *" $(basename "$v") "*) ;;
            *) report FAIL "coq/$(basename "$v")" "(not listed in coq/_CoqProject, so not checked)" ;;
        esac
    done
    cp "$coqdir"/*.v "$coqtmp"/
    runner=()
    if command -v timeout >/dev/null 2>&1; then runner=(timeout "$coq_timeout"); fi
    broken=""
    for v in "${vfiles[@]}"; do
        start=$(date +%s%N)
        name="coq/$v"
        if [ -n "$broken" ]; then
            report FAIL "$name" "(not compiled: $broken failed)"
            continue
        fi
        set +e
        out="$(cd "$coqtmp" && "${runner[@]}" "$coqc" -q -Q . EMPProofs "$v" 2>&1)"
        status=$?
        set -e
        if [ "$status" -ne 0 ]; then
            report FAIL "$name" "coqc failed" "$(printf '%s' "$out" | tr '\n' ' ' | cut -c1-300)"
            broken="$v"
            continue
        fi
        # Every Lemma/Theorem/Corollary of the file: which axioms does it rest on?
        module="${v%.v}"
        names=$(grep -oE '^(Lemma|Theorem|Corollary) [A-Za-z0-9_'"'"']+' "$coqdir/$v" | awk '{print $2}')
        count=$(printf '%s\n' "$names" | grep -c . || true)
        {
            echo "From EMPProofs Require Import $module."
            for n in $names; do echo "Print Assumptions $n."; done
        } > "$coqtmp/Assumptions_$module.v"
        set +e
        out="$(cd "$coqtmp" && "${runner[@]}" "$coqc" -q -Q . EMPProofs "Assumptions_$module.v" 2>&1)"
        status=$?
        set -e
        extra=$(printf '%s\n' "$out" | grep -E '^[A-Za-z_][A-Za-z0-9_.'"'"']*( |$)' \
            | grep -vE '^(Axioms:|Closed under the global context)' | awk '{print $1}' | sort -u \
            | while read -r a; do case "$allowed_axioms" in *" $a "*) ;; *) printf '%s ' "$a" ;; esac; done)
        if [ "$status" -ne 0 ]; then
            report FAIL "$name" "Print Assumptions failed" "$(printf '%s' "$out" | tr '\n' ' ' | cut -c1-300)"
        elif [ -n "$extra" ]; then
            report FAIL "$name" "$count lemmas; rests on axioms beyond Reals: $extra"
        else
            report OK "$name" "$count lemmas proved, no axiom beyond Reals"
        fi
        echo "# $name: $(( ($(date +%s%N) - start) / 1000000 )) ms"
    done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
