; Machine checks for ../theorem-4.2.md (Theorem 4.2, the mass bound: decided, and corrected).
;
; Convention of every file in this directory: each claim sits in its own (push)/(pop) and is
; checked as "hypotheses and the NEGATION of the claim"; an `expect-unsat:` claim is proved
; when z3 answers unsat. An `expect-sat:` claim is deliberately false (a statement the proof
; shows to fail); z3 must find a model of its negation, so that the file cannot pass
; vacuously. Every division has a hypothesis that makes its denominator positive (z3 leaves
; x/0 unspecified). Square roots are variables: lam >= 0 with lam^2 = radicand.
; A claim over the reals only is decided by (check-sat-using qfnra-nlsat): z3's nlsat, a
; complete decision procedure for nonlinear real arithmetic, whose answer does not depend on
; the claims checked before it. Claims with integers, bit-vectors or floats use (check-sat).
; Every claim also passes when checked on its own.
;
; Notation: N and nu are declared Real. A claim proved for real N, nu with the hypotheses
; below holds in particular for the integers the statement is about; where integrality is
; needed the claim uses Int.

(declare-const N Real)
(declare-const nu Real)
(declare-const lam Real)   ; lambda_N = sqrt((N - nu - 1)/((nu + 1)(N - 1)))

; the radicand of lambda_N
(define-fun rad ((N Real) (nu Real)) Real (/ (- N nu 1.0) (* (+ nu 1.0) (- N 1.0))))
; the paper's bound B(N, nu), with its square root given as lam
(define-fun B ((N Real) (nu Real) (lam Real)) Real (+ (/ nu N) (* (/ (- N nu) N) lam)))
(define-fun isLam ((N Real) (nu Real) (lam Real)) Bool (and (>= lam 0.0) (= (* lam lam) (rad N nu))))

; ---------------------------------------------------------------------------------------
; "The statement": at nu = N the radicand is -1/((N+1)(N-1)) (negative; B(N, N) := 1).
(push)
(assert (>= N 2.0))
(assert (not (and (= (rad N N) (- (/ 1.0 (* (+ N 1.0) (- N 1.0))))) (< (rad N N) 0.0))))
(echo "expect-unsat: statement / radicand at nu = N is -1/((N+1)(N-1)) < 0")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; "Findings": r_{nu+1}/r_1 = lambda_N, where r_k^2 = 1/k - 1/N (radii of the balls B_k).
(declare-const r1 Real)
(declare-const rn Real)
(push)
(assert (>= N 2.0))
(assert (>= nu 1.0))
(assert (< nu N))
(assert (isLam N nu lam))
(assert (and (>= r1 0.0) (= (* r1 r1) (- 1.0 (/ 1.0 N)))))
(assert (and (>= rn 0.0) (= (* rn rn) (- (/ 1.0 (+ nu 1.0)) (/ 1.0 N)))))
(assert (not (= (/ rn r1) lam)))
(echo "expect-unsat: findings / r_{nu+1}/r_1 = lambda_N for 1 <= nu < N")
(check-sat-using qfnra-nlsat)
(pop)

; "Findings": p_nu = lam*u_1 + (1 - lam)*u_N has N_eff = nu + 1. With u_1.u_1 = 1,
; u_1.u_N = u_N.u_N = 1/N: q(p_nu) = lam^2 + 2 lam (1 - lam)/N + (1 - lam)^2/N = 1/(nu + 1).
(push)
(assert (>= N 2.0))
(assert (>= nu 1.0))
(assert (< nu N))
(assert (isLam N nu lam))
(assert (not (= (+ (* lam lam) (/ (* 2.0 lam (- 1.0 lam)) N) (/ (* (- 1.0 lam) (- 1.0 lam)) N))
                (/ 1.0 (+ nu 1.0)))))
(echo "expect-unsat: findings / q(p_nu) = 1/(nu+1), i.e. N_eff(p_nu) = nu + 1")
(check-sat-using qfnra-nlsat)
(pop)

; "Findings": B(N, nu) = phi_nu(p_nu) = F at k = nu: phi_nu(u_1) = 1, phi_nu(u_N) = nu/N, and
; F = k/N + (1 - k/N) lam.
(push)
(assert (>= N 2.0))
(assert (>= nu 1.0))
(assert (< nu N))
(assert (isLam N nu lam))
(assert (not (and (= (+ (* lam 1.0) (* (- 1.0 lam) (/ nu N))) (B N nu lam))
                  (= (+ (/ nu N) (* (- 1.0 (/ nu N)) lam)) (B N nu lam)))))
(echo "expect-unsat: findings / B(N,nu) = phi_nu(p_nu) = F(k = nu)")
(check-sat-using qfnra-nlsat)
(pop)

; Table, row nu = N - 1: lambda_N = 0 and B = (N - 1)/N.
(push)
(assert (>= N 2.0))
(assert (= nu (- N 1.0)))
(assert (isLam N nu lam))
(assert (not (and (= lam 0.0) (= (B N nu lam) (/ (- N 1.0) N)))))
(echo "expect-unsat: findings table / nu = N - 1: lambda_N = 0, B = (N-1)/N")
(check-sat-using qfnra-nlsat)
(pop)

; Table, row nu = 1, N = 2: B = 1/2.
(push)
(assert (isLam 2.0 1.0 lam))
(assert (not (= (B 2.0 1.0 lam) 0.5)))
(echo "expect-unsat: findings table / B(2, 1) = 1/2")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Proof of the middle rows: B(N, nu) <= nu/(nu + 1) for 2 <= nu <= N - 2 (so T = B there).
(push)
(assert (>= nu 2.0))
(assert (<= nu (- N 2.0)))
(assert (isLam N nu lam))
(assert (not (<= (B N nu lam) (/ nu (+ nu 1.0)))))
(echo "expect-unsat: middle rows / B(N,nu) <= nu/(nu+1) for 2 <= nu <= N-2")
(check-sat-using qfnra-nlsat)
(pop)

; ... with equality only at (N, nu) = (4, 2) (the tie; both candidates 2/3).
(push)
(assert (>= nu 2.0))
(assert (<= nu (- N 2.0)))
(assert (isLam N nu lam))
(assert (= (B N nu lam) (/ nu (+ nu 1.0))))
(assert (not (and (= N 4.0) (= nu 2.0))))
(echo "expect-unsat: middle rows / equality B = nu/(nu+1) only at N = 4, nu = 2")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (isLam 4.0 2.0 lam))
(assert (not (and (= lam (/ 1.0 3.0)) (= (B 4.0 2.0 lam) (/ 2.0 3.0)))))
(echo "expect-unsat: middle rows / the tie: lambda_4 = 1/3 and B(4, 2) = 2/3 at nu = 2")
(check-sat-using qfnra-nlsat)
(pop)

; The proof's route (k = nu, n = nu + 1, G_k of ../T-tight-infimum.md, Step 6):
; B = 1 - G_nu(mu_N) with mu_N = lambda_N; 2nu - 1 >= n; G_nu(1/n) >= (n - nu)/n; G_nu
; increases on [1/n, oo); mu_N >= mu_{n+1} = 1/n; hence B <= 1 - G_nu(1/n) <= nu/n.
(define-fun Gk ((k Real) (n Real) (mu Real)) Real
  (/ (+ (- n k) (* n (- k 1.0) mu mu)) (* n (+ 1.0 mu))))
(declare-const mu1 Real)
(declare-const mu2 Real)
(push)
(assert (>= nu 1.0))
(assert (>= N (+ nu 2.0)))
(assert (isLam N nu lam))
(assert (not (= (B N nu lam) (- 1.0 (Gk nu (+ nu 1.0) lam)))))
(echo "expect-unsat: middle rows / B(N, nu) = 1 - G_nu(mu_N), mu_N = lambda_N")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (>= nu 2.0))
(assert (not (and (>= (- (* 2.0 nu) 1.0) (+ nu 1.0))
                  (>= (Gk nu (+ nu 1.0) (/ 1.0 (+ nu 1.0))) (/ 1.0 (+ nu 1.0))))))
(echo "expect-unsat: middle rows / nu >= 2: 2nu - 1 >= n and G_nu(1/n) >= (n - nu)/n")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (>= nu 2.0))
(assert (and (<= (/ 1.0 (+ nu 1.0)) mu1) (< mu1 mu2)))
(assert (not (< (Gk nu (+ nu 1.0) mu1) (Gk nu (+ nu 1.0) mu2))))
(echo "expect-unsat: middle rows / nu >= 2: G_nu is strictly increasing on [1/n, oo)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (>= nu 2.0))
(assert (>= N (+ nu 2.0)))
(assert (isLam N nu lam))
(assert (not (and (>= lam (/ 1.0 (+ nu 1.0)))
                  (= (= lam (/ 1.0 (+ nu 1.0))) (= N (+ nu 2.0)))
                  (= (= (Gk nu (+ nu 1.0) (/ 1.0 (+ nu 1.0))) (/ 1.0 (+ nu 1.0))) (= nu 2.0)))))
(echo "expect-unsat: middle rows / mu_N >= 1/n (equal iff N = n + 1), and G_nu(1/n) = (n - nu)/n iff nu = 2")
(check-sat-using qfnra-nlsat)
(pop)

; False variant: strict inequality in the middle rows fails at the tie (4, 2).
(push)
(assert (>= nu 2.0))
(assert (<= nu (- N 2.0)))
(assert (isLam N nu lam))
(assert (not (< (B N nu lam) (/ nu (+ nu 1.0)))))
(echo "expect-sat: middle rows, strict / B(N,nu) < nu/(nu+1) for all 2 <= nu <= N-2 (false at (4, 2))")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Proof of the last row (nu = 1): 1 - B(N, 1) = G_1(mu_N) = 1/(2(1 + mu_N)), mu_N = lambda_N.
(push)
(assert (>= N 2.0))
(assert (isLam N 1.0 lam))
(assert (not (= (- 1.0 (B N 1.0 lam)) (/ 1.0 (* 2.0 (+ 1.0 lam))))))
(echo "expect-unsat: last row / 1 - B(N,1) = G_1(lambda_N) = 1/(2(1 + lambda_N))")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (>= N 3.0))
(assert (isLam N 1.0 lam))
(assert (not (> (B N 1.0 lam) 0.5)))
(echo "expect-unsat: last row / B(N,1) > 1/2 = T(1,1,N) for N >= 3")
(check-sat-using qfnra-nlsat)
(pop)

; False variant: Theorem 4.2's comparison B <= T at nu = 1, N >= 3 (T(1, 1, N) = 1/2).
(push)
(assert (>= N 3.0))
(assert (isLam N 1.0 lam))
(assert (not (<= (B N 1.0 lam) 0.5)))
(echo "expect-sat: last row, paper's claim / B(N,1) <= T(1,1,N) = 1/2 for N >= 3 (false)")
(check-sat-using qfnra-nlsat)
(pop)

; Last row, directly: omega = t u_1 + (1 - t) u_2 = ((1+t)/2, (1-t)/2, 0, ...), 0 < t <= 1:
; q = (1 + t^2)/2 in (1/2, 1] (so omega is in A_1) and s_eff = omega_1 = 1/2 + t/2 -> 1/2.
(declare-const t Real)
(push)
(assert (> t 0.0))
(assert (<= t 1.0))
(define-fun w1 () Real (+ t (/ (- 1.0 t) 2.0)))
(define-fun w2 () Real (/ (- 1.0 t) 2.0))
(define-fun q12 () Real (+ (* w1 w1) (* w2 w2)))
(assert (not (and (> q12 0.5) (<= q12 1.0) (= q12 (/ (+ 1.0 (* t t)) 2.0)) (= w1 (+ 0.5 (/ t 2.0))))))
(echo "expect-unsat: last row / on [u_1, u_2]: q = (1+t^2)/2 in (1/2, 1], s_eff = 1/2 + t/2")
(check-sat-using qfnra-nlsat)
(pop)

; N = 2 has no counterexample: omega_1 >= omega_2 >= 0, omega_1 + omega_2 = 1, nu = 1
; (1 <= N_eff < 2): s_eff = omega_1 >= 1/2 = B(2, 1); at nu = 2, omega = u_2 and s_eff = 1.
(declare-const x1 Real)
(declare-const x2 Real)
(push)
(assert (and (>= x1 x2) (>= x2 0.0) (= (+ x1 x2) 1.0)))
(assert (> (+ (* x1 x1) (* x2 x2)) 0.5))
(assert (isLam 2.0 1.0 lam))
(assert (not (>= x1 (B 2.0 1.0 lam))))
(echo "expect-unsat: least counterexample / none at N = 2: s_eff >= B(2,1) on A_1")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Least exact counterexample (least N, then least sum): scores (3, 2, 0).
(push)
(assert (isLam 3.0 1.0 lam))
(define-fun S () Real 5.0)
(define-fun q () Real (+ (* (/ 3.0 S) (/ 3.0 S)) (* (/ 2.0 S) (/ 2.0 S))))
(assert (not (and (= q (/ 13.0 25.0)) (> q 0.5)
                  (= (/ 1.0 q) (/ 25.0 13.0)) (= (to_int (/ 1.0 q)) 1)
                  (= lam 0.5) (= (B 3.0 1.0 lam) (/ 2.0 3.0))
                  (= (- (/ 3.0 S) (B 3.0 1.0 lam)) (- (/ 1.0 15.0))))))
(echo "expect-unsat: least counterexample / (3,2,0): q = 13/25, nu = 1, s_eff = 3/5, B(3,1) = 2/3, margin -1/15")
(check-sat)
(pop)

; (3, 1, 1): q = 11/25 < 1/2, N_eff = 25/11, nu = 2.
(push)
(define-fun q () Real (+ (* 0.6 0.6) (* 0.2 0.2) (* 0.2 0.2)))
(assert (not (and (= q (/ 11.0 25.0)) (< q 0.5) (= (to_int (/ 1.0 q)) 2))))
(echo "expect-unsat: least counterexample / (3,1,1): q = 11/25 < 1/2, nu = 2")
(check-sat)
(pop)

; The counting step: no integer x has 1/2 < x/S < 2/3 for 1 <= S <= 4.
(declare-const xi Int)
(declare-const Si Int)
(push)
(assert (and (>= Si 1) (<= Si 4)))
(assert (and (> (* 2 xi) Si) (< (* 3 xi) (* 2 Si))))
(echo "expect-unsat: least counterexample / no integer x with 1/2 < x/S < 2/3 for S <= 4")
(check-sat)
(pop)

; The whole claim "least sum at N = 3", by brute force over sorted non-negative integer scores
; with sum S <= 4: s_eff >= B(3, nu) for every shell (B(3,1) = 2/3, B(3,2) = 2/3, B(3,3) = 1).
(declare-const a1 Int)
(declare-const a2 Int)
(declare-const a3 Int)
(define-fun sum3 () Int (+ a1 a2 a3))
(define-fun sq3 () Int (+ (* a1 a1) (* a2 a2) (* a3 a3)))
(define-fun nu3 () Int (div (* sum3 sum3) sq3))          ; floor(N_eff), N_eff = S^2/Q
(define-fun kept3 () Int (ite (= nu3 1) a1 (ite (= nu3 2) (+ a1 a2) sum3)))
(define-fun B3 () Real (ite (= nu3 3) 1.0 (/ 2.0 3.0)))
(define-fun violates3 () Bool (< (/ (to_real kept3) (to_real sum3)) B3))
(push)
(assert (and (>= a1 a2) (>= a2 a3) (>= a3 0) (>= sum3 1) (<= sum3 4)))
(assert violates3)
(echo "expect-unsat: least counterexample / N = 3, integer scores with sum <= 4: Theorem 4.2 holds")
(check-sat)
(pop)

; False variant: with sum <= 5 there is a counterexample ((3, 2, 0)).
(push)
(assert (and (>= a1 a2) (>= a2 a3) (>= a3 0) (>= sum3 1) (<= sum3 5)))
(assert violates3)
(echo "expect-sat: least counterexample / N = 3, integer scores with sum <= 5: Theorem 4.2 holds (false: (3,2,0))")
(check-sat)
(pop)
