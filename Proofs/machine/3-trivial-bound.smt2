; Machine checks for ../3-trivial-bound.md (statement 3, the trivial bound: false as stated,
; corrected to s_eff >= nu/N). Conventions: see the head of theorem-4.2.smt2 (one claim per
; push/pop, negated; `expect-unsat:` = proved, `expect-sat:` = deliberately false variant).

(declare-const N Real)
(declare-const k Real)
(declare-const m Real)
(declare-const a Real)
(define-fun cubic ((a Real)) Real (- (+ (* 4.0 a a a) (* -4.0 a a) (* 2.0 a)) 1.0))

; ---------------------------------------------------------------------------------------
; Proof: the average of the k largest weights (m/k) is at least that of the others
; ((1 - m)/(N - k)); multiplied by k(N - k) > 0 this is m N >= k. Equality iff equal averages.
(push)
(assert (and (>= k 1.0) (< k N)))
(assert (>= (/ m k) (/ (- 1.0 m) (- N k))))
(assert (not (>= (* m N) k)))
(echo "expect-unsat: proof / m/k >= (1-m)/(N-k) gives m N >= k")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= k 1.0) (< k N)))
(assert (not (= (= (* m N) k) (= (/ m k) (/ (- 1.0 m) (- N k))))))
(echo "expect-unsat: proof / equality m N = k iff the two averages are equal")
(check-sat-using qfnra-nlsat)
(pop)

; s_eff >= nu/N with nu = floor(N_eff) > N_eff - 1 gives s_eff > (N_eff - 1)/N.
(declare-const Neff Real)
(declare-const seff Real)
(push)
(assert (and (>= N 1.0) (>= Neff 1.0) (>= seff (/ (to_real (to_int Neff)) N))))
(assert (not (> seff (/ (- Neff 1.0) N))))
(echo "expect-unsat: corrected statement / s_eff >= floor(N_eff)/N gives s_eff > (N_eff - 1)/N")
(check-sat)
(pop)

; The retention count at any beta: nu = min(N, max(1, floor(beta N_eff))), 1 <= N_eff <= N.
; For beta >= 1, s_eff >= nu/N gives s_eff > (N_eff - 1)/N; for beta < 1 it does not (false
; variant: (1, 1, 1) at beta = 1/2 is one such point); for every beta > 0,
; s_eff > (min(beta, 1) N_eff - 1)/N.
(declare-const beta Real)
(declare-const nuc Int)
(define-fun clamped-nuc () Bool
  (and (>= nuc 1) (<= (to_real nuc) N)
       (or (= nuc 1) (= (to_real nuc) N) (= nuc (to_int (* beta Neff))))
       (<= (to_real nuc) (ite (< (* beta Neff) 1.0) 1.0 (* beta Neff)))
       (or (= (to_real nuc) N) (> (+ (to_real nuc) 1.0) (* beta Neff)))))
(push)
(assert (and (>= N 1.0) (= N (to_real (to_int N))) (>= Neff 1.0) (<= Neff N) (>= beta 1.0) clamped-nuc
             (>= seff (/ (to_real nuc) N)) (<= seff 1.0)))
(assert (not (> seff (/ (- Neff 1.0) N))))
(echo "expect-unsat: corrected statement / beta >= 1: s_eff >= nu/N gives s_eff > (N_eff - 1)/N")
(check-sat)
(pop)

(push)
(assert (and (>= N 1.0) (= N (to_real (to_int N))) (>= Neff 1.0) (<= Neff N) (> beta 0.0) (< beta 1.0) clamped-nuc
             (>= seff (/ (to_real nuc) N)) (<= seff 1.0)))
(assert (not (> seff (/ (- Neff 1.0) N))))
(echo "expect-sat: corrected statement / beta < 1: s_eff >= nu/N gives s_eff > (N_eff - 1)/N (false)")
(check-sat)
(pop)

(push)
(assert (and (>= N 1.0) (= N (to_real (to_int N))) (>= Neff 1.0) (<= Neff N) (> beta 0.0) clamped-nuc
             (>= seff (/ (to_real nuc) N)) (<= seff 1.0)))
(assert (not (> seff (/ (- (* (ite (< beta 1.0) beta 1.0) Neff) 1.0) N))))
(echo "expect-unsat: corrected statement / every beta > 0: s_eff > (min(beta, 1) N_eff - 1)/N")
(check-sat)
(pop)

; ---------------------------------------------------------------------------------------
; Counterexample: N = 2, scores (2, 1).
(push)
(define-fun w1 () Real (/ 2.0 3.0))
(define-fun w2 () Real (/ 1.0 3.0))
(define-fun q () Real (+ (* w1 w1) (* w2 w2)))
(assert (not (and (= q (/ 5.0 9.0)) (= (/ 1.0 q) (/ 9.0 5.0)) (= (to_int (/ 1.0 q)) 1)
                  (< w1 (/ (/ 1.0 q) 2.0)) (= (/ (/ 1.0 q) 2.0) (/ 9.0 10.0)))))
(echo "expect-unsat: counterexample / (2,1): q = 5/9, N_eff = 9/5, nu = 1, s_eff = 2/3 < 9/10 = N_eff/N")
(check-sat)
(pop)

; The whole arc at N = 2: omega = (a, 1 - a), 1/2 < a < 1: nu = 1 and
; a >= N_eff/2 iff 4a^3 - 4a^2 + 2a - 1 >= 0.
(push)
(assert (and (> a 0.5) (< a 1.0)))
(define-fun q () Real (+ (* a a) (* (- 1.0 a) (- 1.0 a))))
(assert (not (and (= q (+ (* 2.0 a a) (* -2.0 a) 1.0))
                  (= (to_int (/ 1.0 q)) 1)
                  (= (>= a (/ (/ 1.0 q) 2.0)) (>= (cubic a) 0.0)))))
(echo "expect-unsat: first counterexample / N = 2, omega = (a, 1-a): nu = 1 and a >= N_eff/2 iff 4a^3 - 4a^2 + 2a - 1 >= 0")
(check-sat)
(pop)

(declare-const b Real)
(push)
(assert (< a b))
(assert (not (< (cubic a) (cubic b))))
(echo "expect-unsat: first counterexample / 4a^3 - 4a^2 + 2a - 1 is strictly increasing (one real root)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (not (and (< (cubic 0.77184) 0.0) (> (cubic 0.77185) 0.0))))
(echo "expect-unsat: first counterexample / the root a* is in (0.77184, 0.77185)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (> a 0.5) (<= a 0.77184)))
(define-fun q () Real (+ (* a a) (* (- 1.0 a) (- 1.0 a))))
(assert (not (< a (/ (/ 1.0 q) 2.0))))
(echo "expect-unsat: first counterexample / the statement fails on the whole arc 1/2 < a <= 0.77184")
(check-sat-using qfnra-nlsat)
(pop)

; False variant: the paper's form s_eff >= N_eff/N on the arc at N = 2.
(push)
(assert (and (> a 0.5) (< a 1.0)))
(define-fun q () Real (+ (* a a) (* (- 1.0 a) (- 1.0 a))))
(assert (not (>= a (/ (/ 1.0 q) 2.0))))
(echo "expect-sat: statement as given / N = 2, 1/2 < a < 1: s_eff = a >= N_eff/2 (false)")
(check-sat-using qfnra-nlsat)
(pop)

; First counterexample: at N = 2 every integer score vector with entries at most 1 (not all zero)
; satisfies s_eff >= N_eff/N (N = 1: s_eff = 1 = N_eff/N).
(declare-const s1 Int)
(declare-const s2 Int)
(push)
(assert (and (<= 0 s1) (<= s1 1) (<= 0 s2) (<= s2 1) (>= (+ s1 s2) 1)))
(define-fun S () Int (+ s1 s2))
(define-fun Q () Int (+ (* s1 s1) (* s2 s2)))
(define-fun Ne () Real (/ (to_real (* S S)) (to_real Q)))
(define-fun nu () Int (div (* S S) Q))
(define-fun top () Int (ite (>= s1 s2) s1 s2))
(define-fun se () Real (ite (= nu 1) (/ (to_real top) (to_real S)) 1.0))
(assert (not (>= se (/ Ne 2.0))))
(echo "expect-unsat: first counterexample / N = 2, integer scores in {0, 1}: s_eff >= N_eff/2")
(check-sat)
(pop)
