#!/usr/bin/env bash
# Runs z3 on every *.smt2 file next to this script and checks each claim's answer:
# a claim announced by `(echo "expect-unsat: ...")` must be answered unsat, one announced by
# `(echo "expect-sat: ...")` (a deliberately false variant) must be answered sat.
# Prints one line per claim and ends with "N passed, M failed".
# Exit status: 0 all passed, 1 some claim failed, 2 z3 is not installed.
# Environment: Z3 (the z3 executable, default `z3`), Z3_CLAIM_TIMEOUT (seconds per claim,
# default 60), Z3_FILE_TIMEOUT (seconds per file, default 300).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
z3="${Z3:-z3}"
claim_timeout="${Z3_CLAIM_TIMEOUT:-60}"
file_timeout="${Z3_FILE_TIMEOUT:-300}"

if ! command -v "$z3" >/dev/null 2>&1; then
    echo "z3 not found: the machine checks in Proofs/machine were not run" >&2
    exit 2
fi
echo "# $("$z3" --version)"

passed=0
failed=0

report() {  # report OK|FAIL file claim detail
    printf '%-4s  %s  %s%s\n' "$1" "$2" "$3" "${4:+  [$4]}"
    if [ "$1" = OK ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

shopt -s nullglob
files=("$here"/*.smt2)
if [ ${#files[@]} -eq 0 ]; then
    echo "no .smt2 files in $here" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

for f in "${files[@]}"; do
    name="$(basename "$f")"
    declared=$(grep -c '(echo "expect-\(un\)\{0,1\}sat:' "$f" || true)
    start=$(date +%s%N)
    set +e
    out="$("$z3" -T:"$file_timeout" -t:"$((claim_timeout * 1000))" "$f" 2>&1)"
    status=$?
    set -e
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))

    pending=""     # the claim whose answer is awaited
    errors=""      # z3 errors seen since the last answer (they belong to the next claim)
    seen=0
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
    echo "# $name: $seen claims, $elapsed ms"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
