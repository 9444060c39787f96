; Machine checks for ../band-infimum.md (the tight infimum I(k, a, b, N) of the kept mass
; over a band a <= N_eff < b). Conventions: see the head of theorem-4.2.smt2 (one claim per
; push/pop, negated; `expect-unsat:` = proved, `expect-sat:` = deliberately false variant;
; denominators kept positive by hypotheses; square roots as non-negative variables).
;
; Notation as in the proof: q = sum of squares (N_eff = 1/q), the inner sphere q = 1/b,
; p = floor(b), edges omega(lam) = lam u_j + (1 - lam) u_l (j < l), on which
; q(lam) = lam^2 (1/j - 1/l) + 1/l and phi_k = k (lam/j + (1 - lam)/l) for k <= j.
; E = (k/(p+1)) (1 + s1), s1 = sqrt((p + 1 - b)/(b p)): the candidate on [u_p, u_{p+1}];
; F_l = k/l + (1 - k/l) mu_l, mu_l = sqrt((l - b)/(b (l - 1))): the candidate on [u_1, u_l].

(declare-const k Real)
(declare-const b Real)
(declare-const p Real)
(declare-const j Real)
(declare-const l Real)
(declare-const lam Real)
(declare-const kappa Real)
(declare-const s1 Real)
(declare-const mu Real)
(declare-const r Real)

(define-fun qEdge ((j Real) (l Real) (lam Real)) Real (+ (* lam lam (- (/ 1.0 j) (/ 1.0 l))) (/ 1.0 l)))
(define-fun phiEdge ((k Real) (j Real) (l Real) (lam Real)) Real (* k (+ (/ lam j) (/ (- 1.0 lam) l))))

; ---------------------------------------------------------------------------------------
; Step 4: on the edge [u_j, u_l] with j <= b < l, the point with q = 1/b has
; lam^2 = j (l - b)/(b (l - j)).
(push)
(assert (and (>= j 1.0) (<= j b) (< b l)))
(assert (and (>= lam 0.0) (= (* lam lam) (/ (* j (- l b)) (* b (- l j))))))
(assert (not (= (qEdge j l lam) (/ 1.0 b))))
(echo "expect-unsat: step 4 / q(lam_jl) = 1/b on [u_j, u_l]")
(check-sat-using qfnra-nlsat)
(pop)

; Its weight lies in [0, 1]: the sphere q = 1/b meets the edge.
(push)
(assert (and (>= j 1.0) (<= j b) (< b l)))
(assert (and (>= lam 0.0) (= (* lam lam) (/ (* j (- l b)) (* b (- l j))))))
(assert (not (<= lam 1.0)))
(echo "expect-unsat: step 4 / 0 <= lam_jl <= 1")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Step 5 and the computation: on [u_p, u_{p+1}] (p <= b < p + 1, k <= p) the point
; kappa u_p + (1 - kappa) u_{p+1} with q = 1/b has kappa^2 = p (p + 1 - b)/b and keeps
; phi_k = E = (k/(p+1)) (1 + s1).
(push)
(assert (and (>= p 1.0) (<= p b) (< b (+ p 1.0)) (>= k 1.0) (<= k p)))
(assert (and (>= kappa 0.0) (= (* kappa kappa) (/ (* p (- (+ p 1.0) b)) b))))
(assert (and (>= s1 0.0) (= (* s1 s1) (/ (- (+ p 1.0) b) (* b p)))))
(assert (not (= (phiEdge k p (+ p 1.0) kappa) (* (/ k (+ p 1.0)) (+ 1.0 s1)))))
(echo "expect-unsat: step 5 / E = phi_k(kappa u_p + (1 - kappa) u_{p+1}) = (k/(p+1))(1 + s1)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= p 1.0) (<= p b) (< b (+ p 1.0))))
(assert (and (>= kappa 0.0) (= (* kappa kappa) (/ (* p (- (+ p 1.0) b)) b))))
(assert (not (= (qEdge p (+ p 1.0) kappa) (/ 1.0 b))))
(echo "expect-unsat: step 5 / q(kappa) = 1/b on [u_p, u_{p+1}]")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Step 6: with s = sqrt((l - b)(l - p)/(b p)), ((b+p) l - 2bp)^2 - (2 b p s)^2 = (b - p)^2 l^2,
; so h'(l) >= 0 and the best l of the family [u_p, u_l] is p + 1.
(push)
(assert (and (>= p 1.0) (<= p b) (< b l)))
(assert (and (>= r 0.0) (= (* r r) (/ (* (- l b) (- l p)) (* b p)))))
(assert (not (= (- (* (- (* (+ b p) l) (* 2.0 b p)) (- (* (+ b p) l) (* 2.0 b p))) (* 4.0 b b p p r r))
                (* (- b p) (- b p) l l))))
(echo "expect-unsat: step 6 / ((b+p) l - 2bp)^2 - (2bps)^2 = (b - p)^2 l^2")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Step 7: mu_{p+1} = s1, and F_{p+1} - E = s1 (p + 1 - 2k)/(p + 1): E wins against the edge
; [u_1, u_{p+1}] exactly when 2k < p + 1 (for b < p + 1, s1 > 0).
(push)
(assert (and (>= p 1.0) (<= p b) (< b (+ p 1.0)) (>= k 1.0) (<= k p)))
(assert (and (>= s1 0.0) (= (* s1 s1) (/ (- (+ p 1.0) b) (* b p)))))
(assert (and (>= mu 0.0) (= (* mu mu) (/ (- (+ p 1.0) b) (* b (- (+ p 1.0) 1.0))))))
(assert (not (and (= mu s1)
                  (= (- (+ (/ k (+ p 1.0)) (* (- 1.0 (/ k (+ p 1.0))) mu)) (* (/ k (+ p 1.0)) (+ 1.0 s1)))
                     (/ (* s1 (- (+ p 1.0) (* 2.0 k))) (+ p 1.0))))))
(echo "expect-unsat: step 7 / mu_{p+1} = s1 and F_{p+1} - E = s1 (p + 1 - 2k)/(p + 1)")
(check-sat-using qfnra-nlsat)
(pop)

; The false variant: E is always at most F_{p+1} (false once 2k > p + 1).
(push)
(assert (and (>= p 1.0) (<= p b) (< b (+ p 1.0)) (>= k 1.0) (<= k p)))
(assert (and (>= s1 0.0) (= (* s1 s1) (/ (- (+ p 1.0) b) (* b p)))))
(assert (not (<= (* (/ k (+ p 1.0)) (+ 1.0 s1)) (+ (/ k (+ p 1.0)) (* (- 1.0 (/ k (+ p 1.0))) s1)))))
(echo "expect-sat: step 7 / E <= F_{p+1} for every k (false: 2k > p + 1)")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; The example of the proof: N = 5, k = 2, b = 9/2 (p = 4): E = 7/15 < 1/2 = F_5.
(push)
(assert (and (>= s1 0.0) (= (* s1 s1) (/ (- 5.0 4.5) (* 4.5 4.0)))))
(assert (and (>= mu 0.0) (= (* mu mu) (/ (- 5.0 4.5) (* 4.5 (- 5.0 1.0))))))
(assert (not (and (= (* (/ 2.0 5.0) (+ 1.0 s1)) (/ 7.0 15.0))
                  (= (+ (/ 2.0 5.0) (* (- 1.0 (/ 2.0 5.0)) mu)) (/ 1.0 2.0)))))
(echo "expect-unsat: example / N = 5, k = 2, b = 9/2: E = 7/15 and F_5 = 1/2")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; The value at beta = 3/2, k = m = 1: the band is [1, 4/3) (nu = 1 iff N_eff < 4/3), p = 1,
; and E = (1/2)(1 + sqrt(1/2)) = (2 + sqrt 2)/4.
(push)
(assert (and (>= s1 0.0) (= (* s1 s1) (/ (- 2.0 (/ 4.0 3.0)) (* (/ 4.0 3.0) 1.0)))))
(assert (and (>= r 0.0) (= (* r r) 2.0)))
(assert (not (= (* (/ 1.0 2.0) (+ 1.0 s1)) (/ (+ 2.0 r) 4.0))))
(echo "expect-unsat: beta = 3/2 / I(1, [1, 4/3), N) = (2 + sqrt 2)/4")
(check-sat-using qfnra-nlsat)
(pop)

; The false variant: T = 1/2 is the infimum of that band (it only bounds it from below).
(push)
(assert (and (>= s1 0.0) (= (* s1 s1) (/ (- 2.0 (/ 4.0 3.0)) (* (/ 4.0 3.0) 1.0)))))
(assert (not (= (* (/ 1.0 2.0) (+ 1.0 s1)) (/ 1.0 2.0))))
(echo "expect-sat: beta = 3/2 / the band's infimum is T(1, 1, N) = 1/2 (false)")
(check-sat-using qfnra-nlsat)
(pop)
