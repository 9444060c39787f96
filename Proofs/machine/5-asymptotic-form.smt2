; Machine checks for ../5-asymptotic-form.md (statement 5, the asymptotic form: false at
; finite N, corrected to s_eff >= 1/sqrt(N_eff) for nu >= 2). Conventions: see the head of
; theorem-4.2.smt2 (one claim per push/pop, negated; `expect-unsat:` = proved, `expect-sat:`
; = deliberately false variant; square roots as non-negative variables).

(declare-const N Real)
(declare-const nu Real)
(declare-const k Real)
(declare-const m Real)
(declare-const y Real)
(declare-const q Real)
(declare-const rq Real)    ; sqrt(q) = 1/sqrt(N_eff)
(declare-const rt Real)    ; a square root
(declare-const t Real)     ; t = sqrt((N - nu - 1)/((nu + 1)(N - 1)))
(declare-const tau Real)

(define-fun isRoot ((s Real) (r Real)) Bool (and (>= s 0.0) (= (* s s) r)))
(define-fun max2 ((x Real) (y Real)) Real (ite (>= x y) x y))
(define-fun min2 ((x Real) (y Real)) Real (ite (<= x y) x y))

; ---------------------------------------------------------------------------------------
; Counterexamples. The first (least N, then least sum, and least sum, then least N):
; N = 2, scores (2, 1): N_eff = 9/5, 1 - s_eff = 1/3, and the right side ((N - N_eff)/N)(1 - sqrt((N - N_eff)/(N N_eff))) = (1/10)(1 - sqrt(1/18)) <= 1/10 < 1/3.
(push)
(define-fun Ne () Real (/ 9.0 5.0))
(assert (isRoot rt (/ (- 2.0 Ne) (* 2.0 Ne))))
(define-fun rhs () Real (* (/ (- 2.0 Ne) 2.0) (- 1.0 rt)))
(assert (not (and (= (/ (- 2.0 Ne) (* 2.0 Ne)) (/ 1.0 18.0)) (= rhs (* 0.1 (- 1.0 rt)))
                  (<= rhs 0.1) (< rhs (- 1.0 (/ 2.0 3.0))))))
(echo "expect-unsat: counterexamples / (2,1): right side (1/10)(1 - sqrt(1/18)) <= 1/10 < 1/3 = 1 - s_eff")
(check-sat-using qfnra-nlsat)
(pop)

; False variant: the statement as an inequality at N = 2, scores (2, 1).
(push)
(define-fun Ne () Real (/ 9.0 5.0))
(assert (isRoot rt (/ (- 2.0 Ne) (* 2.0 Ne))))
(assert (not (<= (- 1.0 (/ 2.0 3.0)) (* (/ (- 2.0 Ne) 2.0) (- 1.0 rt)))))
(echo "expect-sat: statement as given / N = 2, (2,1): 1 - s_eff <= ((N-N_eff)/N)(1 - sqrt((N-N_eff)/(N N_eff))) (false)")
(check-sat-using qfnra-nlsat)
(pop)

; Nothing before it at N = 2: (1, 0): 0 <= (1/2)(1 - sqrt(1/2)); (1, 1): 0 <= 0.
(push)
(assert (isRoot rt (/ (- 2.0 1.0) (* 2.0 1.0))))
(assert (not (and (<= 0.0 (* 0.5 (- 1.0 rt))) (= (* (/ (- 2.0 2.0) 2.0) 1.0) 0.0))))
(echo "expect-unsat: counterexamples / N = 2, (1,0) and (1,1) satisfy the statement")
(check-sat-using qfnra-nlsat)
(pop)

; Near the paper's extremal point, nu >= 2: the limit 1/sqrt(nu + 1) of t has (3/2)t - 1 < 0.
(push)
(assert (>= nu 2.0))
(assert (isRoot rt (/ 1.0 (+ nu 1.0))))
(assert (not (< (- (* 1.5 rt) 1.0) 0.0)))
(echo "expect-unsat: counterexamples / nu >= 2: (3/2)/sqrt(nu+1) - 1 < 0")
(check-sat-using qfnra-nlsat)
(pop)

; Every N >= nu + 1, not only large N (N_0(nu) = nu + 1). With a = N - nu - 1 >= 0 and
; n = nu + 1, X = t = sqrt(a/(n(N-1))) and Y = t sqrt((N-1)/N) = sqrt(a/(nN)), N times
; (right side - (1 - s_eff)) at the limit point p_nu is -1 + (a+1)X - aY, and this is at most
; -1 + (3/2)/sqrt(n) < 0 for n >= 3 (nu >= 2).
(declare-const aa Real)
(declare-const nn Real)
(declare-const X Real)
(declare-const Y Real)
(declare-const sn Real)
(push)
(assert (and (>= aa 0.0) (>= nn 3.0) (isRoot sn nn)
             (isRoot X (/ aa (* nn (+ aa nn -1.0)))) (isRoot Y (/ aa (* nn (+ aa nn))))))
(assert (not (< X (/ 1.0 sn))))
(echo "expect-unsat: counterexamples / every N >= nu+1: X = t < 1/sqrt(nu+1)")
(check-sat-using qfnra-nlsat)
(pop)
(push)
(assert (and (>= aa 0.0) (>= nn 3.0) (isRoot sn nn)
             (isRoot X (/ aa (* nn (+ aa nn -1.0)))) (isRoot Y (/ aa (* nn (+ aa nn))))))
(assert (not (<= (* aa (- X Y)) (/ 1.0 (* 2.0 sn)))))
(echo "expect-unsat: counterexamples / every N >= nu+1: a(X - Y) <= 1/(2 sqrt(nu+1))")
(check-sat-using qfnra-nlsat)
(pop)
(push)
(assert (and (>= aa 0.0) (>= nn 3.0) (isRoot sn nn)
             (isRoot X (/ aa (* nn (+ aa nn -1.0)))) (isRoot Y (/ aa (* nn (+ aa nn))))))
(assert (not (< (+ -1.0 (* (+ aa 1.0) X) (* -1.0 aa Y)) 0.0)))
(echo "expect-unsat: counterexamples / every N >= nu+1, nu >= 2: N (right side - (1 - s_eff)) at p_nu is < 0")
(check-sat-using qfnra-nlsat)
(pop)
; False variant: the same at nu = 1 (n = 2); it holds for N <= 19 only.
(push)
(assert (and (>= aa 0.0) (= nn 2.0)
             (isRoot X (/ aa (* nn (+ aa nn -1.0)))) (isRoot Y (/ aa (* nn (+ aa nn))))))
(assert (not (< (+ -1.0 (* (+ aa 1.0) X) (* -1.0 aa Y)) 0.0)))
(echo "expect-sat: counterexamples at nu = 1 / N (right side - (1 - s_eff)) at p_1 is < 0 for every N (false from N = 20)")
(check-sat-using qfnra-nlsat)
(pop)
; At nu = 1 the statement fails near u_2 instead, for every N >= 2: 1 - s_eff -> 1/2 while the
; right side tends to ((N-2)/N)(1 - sqrt((N-2)/(2N))) < 1/2.
(push)
(assert (and (>= N 2.0) (isRoot rt (/ (- N 2.0) (* 2.0 N)))))
(assert (not (< (* (/ (- N 2.0) N) (- 1.0 rt)) 0.5)))
(echo "expect-unsat: counterexamples / nu = 1, every N >= 2: the right side at u_2 is < 1/2 = 1 - s_eff")
(check-sat-using qfnra-nlsat)
(pop)

; The floor reading (N_eff read as nu inside the right side): the right side in A_nu is the
; constant ((N - nu)/N)(1 - sqrt((N - nu)/(N nu))), below the limit (N - nu)/N (1 - t) of
; 1 - s_eff at p_nu for every 1 <= nu < N, since (N - nu)/(N nu) > t^2.
(push)
(assert (and (>= nu 1.0) (> N nu) (isRoot rt (/ (- N nu) (* N nu)))
             (isRoot t (/ (- N nu 1.0) (* (+ nu 1.0) (- N 1.0))))))
(assert (not (< (* (/ (- N nu) N) (- 1.0 rt)) (* (/ (- N nu) N) (- 1.0 t)))))
(echo "expect-unsat: readings / floor reading: the right side in A_nu is below 1 - s_eff at p_nu, every 1 <= nu < N")
(check-sat-using qfnra-nlsat)
(pop)

; ... and at the points the tests check, (N, nu) = (3,2), (100,2), (1000,2), (100,5), (1000,10),
; the limit values at p_nu (N_eff -> nu + 1) violate the statement strictly:
; 1 - B(N, nu) = ((N - nu)/N)(1 - t) > ((N - nu - 1)/N)(1 - t sqrt((N - 1)/N)).
(declare-const rN Real)
(define-fun violatedAt ((N Real) (nu Real)) Bool
  (=> (and (isRoot t (/ (- N nu 1.0) (* (+ nu 1.0) (- N 1.0)))) (isRoot rN (/ (- N 1.0) N)))
      (> (* (/ (- N nu) N) (- 1.0 t)) (* (/ (- N nu 1.0) N) (- 1.0 (* t rN))))))
(push) (assert (not (violatedAt 3.0 2.0)))
(echo "expect-unsat: counterexamples / limit at p_nu violates the statement at (N, nu) = (3, 2)")
(check-sat-using qfnra-nlsat) (pop)
(push) (assert (not (violatedAt 100.0 2.0)))
(echo "expect-unsat: counterexamples / limit at p_nu violates the statement at (N, nu) = (100, 2)")
(check-sat-using qfnra-nlsat) (pop)
(push) (assert (not (violatedAt 1000.0 2.0)))
(echo "expect-unsat: counterexamples / limit at p_nu violates the statement at (N, nu) = (1000, 2)")
(check-sat-using qfnra-nlsat) (pop)
(push) (assert (not (violatedAt 100.0 5.0)))
(echo "expect-unsat: counterexamples / limit at p_nu violates the statement at (N, nu) = (100, 5)")
(check-sat-using qfnra-nlsat) (pop)
(push) (assert (not (violatedAt 1000.0 10.0)))
(echo "expect-unsat: counterexamples / limit at p_nu violates the statement at (N, nu) = (1000, 10)")
(check-sat-using qfnra-nlsat) (pop)

; ---------------------------------------------------------------------------------------
; Proof of the lemma: g(y) = (m - (k-1)y)^2 + (k-1)y^2 + y(1 - m) on 0 <= y <= m/k has
; g(0) = m^2, g(m/k) = m/k, and its maximum at an end (convex: leading coefficient
; (k-1)^2 + (k-1) >= 0).
(define-fun gl ((k Real) (m Real) (y Real)) Real
  (+ (* (- m (* (- k 1.0) y)) (- m (* (- k 1.0) y))) (* (- k 1.0) y y) (* y (- 1.0 m))))
(push)
(assert (>= k 1.0))
(assert (not (and (= (gl k m 0.0) (* m m)) (= (gl k m (/ m k)) (/ m k)))))
(echo "expect-unsat: lemma / g(0) = m^2 and g(m/k) = m/k")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (>= k 1.0))
(assert (not (= (gl k m y) (+ (* (+ (* (- k 1.0) (- k 1.0)) (- k 1.0)) y y)
                              (* (- (- 1.0 m) (* 2.0 m (- k 1.0))) y) (* m m)))))
(echo "expect-unsat: lemma / g is the quadratic with leading coefficient (k-1)^2 + (k-1)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= k 1.0) (<= 0.0 m) (<= m 1.0) (<= 0.0 y) (<= y (/ m k))))
(assert (not (<= (gl k m y) (max2 (* m m) (/ m k)))))
(echo "expect-unsat: lemma / g(y) <= max(g(0), g(m/k)) = max(m^2, m/k) for 0 <= y <= m/k")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Proof of the theorem: q <= max(m^2, m/k) gives m >= min(k q, sqrt q) = min(k/N_eff, 1/sqrt N_eff).
(push)
(assert (and (>= k 1.0) (> q 0.0) (>= m 0.0) (isRoot rq q)))
(assert (<= q (max2 (* m m) (/ m k))))
(assert (not (>= m (min2 (* k q) rq))))
(echo "expect-unsat: theorem / q <= max(m^2, m/k) gives phi_k >= min(k/N_eff, 1/sqrt(N_eff))")
(check-sat-using qfnra-nlsat)
(pop)

; k = nu >= 2 (omega in A_nu, q > 1/(nu+1)): m > 1/nu, so s_eff >= 1/sqrt(N_eff).
(push)
(assert (>= nu 2.0))
(assert (not (>= (* nu nu) (+ nu 1.0))))
(echo "expect-unsat: theorem / nu^2 >= nu + 1 for nu >= 2")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 2.0) (> q (/ 1.0 (+ nu 1.0))) (>= m 0.0) (isRoot rq q)))
(assert (<= q (max2 (* m m) (/ m nu))))
(assert (not (and (> m (/ 1.0 nu)) (<= q (* m m)) (>= m rq))))
(echo "expect-unsat: theorem / k = nu >= 2: m > 1/nu, q <= m^2, s_eff >= 1/sqrt(N_eff)")
(check-sat-using qfnra-nlsat)
(pop)

; k = nu = 1: max(m^2, m) = m (m <= 1), so s_eff >= 1/N_eff > 1/2.
(push)
(assert (and (> q 0.5) (<= 0.0 m) (<= m 1.0)))
(assert (<= q (max2 (* m m) m)))
(assert (not (and (>= m q) (> m 0.5))))
(echo "expect-unsat: theorem / k = nu = 1: s_eff >= 1/N_eff > 1/2")
(check-sat-using qfnra-nlsat)
(pop)

; False variant: the nu >= 2 bound at nu = 1.
(push)
(assert (and (> q 0.5) (<= q 1.0) (<= 0.0 m) (<= m 1.0) (isRoot rq q)))
(assert (<= q (max2 (* m m) m)))
(assert (not (>= m rq)))
(echo "expect-sat: theorem at nu = 1 / s_eff >= 1/sqrt(N_eff) (false: only 1/N_eff holds)")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Sharpness: omega = (1 - tau) u_N + tau u_1 = (tau + (1-tau)/N, (1-tau)/N, ...) has
; sum omega^2 = 1/N + tau^2 (1 - 1/N) and phi_nu = nu/N + tau (N - nu)/N; at sum = 1/(nu+1),
; tau = t and phi_nu = B(N, nu).
(push)
(assert (and (>= N 2.0) (>= nu 1.0) (< nu N)))
(define-fun c1 () Real (+ tau (/ (- 1.0 tau) N)))
(define-fun c2 () Real (/ (- 1.0 tau) N))
(assert (not (and (= (+ (* c1 c1) (* (- N 1.0) c2 c2)) (+ (/ 1.0 N) (* tau tau (- 1.0 (/ 1.0 N)))))
                  (= (+ c1 (* (- nu 1.0) c2)) (+ (/ nu N) (* tau (/ (- N nu) N)))))))
(echo "expect-unsat: sharpness / on [u_N, u_1]: sum omega^2 = 1/N + tau^2(1 - 1/N), phi_nu = nu/N + tau(N-nu)/N")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= N 2.0) (>= nu 1.0) (< nu N) (>= tau 0.0)))
(assert (= (+ (/ 1.0 N) (* tau tau (- 1.0 (/ 1.0 N)))) (/ 1.0 (+ nu 1.0))))
(assert (isRoot t (/ (- N nu 1.0) (* (+ nu 1.0) (- N 1.0)))))
(assert (not (= tau t)))
(echo "expect-unsat: sharpness / sum omega^2 = 1/(nu+1) at tau = t")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Where the infimum over a shell sits: on [u_1, u_l] (j <= nu < l), phi_nu = lam + (1-lam) nu/l,
; so lam = (l m - nu)/(l - nu); f_l(m) = 1/l + lam^2 (1 - 1/l) is increasing in m >= nu/l and
; equals 1/(nu+1) at m = B(l, nu).
(declare-const l Real)
(declare-const lam Real)
(declare-const m2 Real)
(define-fun lamOf ((l Real) (nu Real) (m Real)) Real (/ (- (* l m) nu) (- l nu)))
(define-fun fl ((l Real) (nu Real) (m Real)) Real
  (+ (/ 1.0 l) (* (lamOf l nu m) (lamOf l nu m) (- 1.0 (/ 1.0 l)))))
(push)
(assert (and (>= nu 1.0) (> l nu)))
(assert (= m (+ lam (* (- 1.0 lam) (/ nu l)))))
(assert (not (= lam (lamOf l nu m))))
(echo "expect-unsat: infimum / phi_nu = lam + (1-lam) nu/l gives lam = (l m - nu)/(l - nu)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (> l nu) (<= (/ nu l) m) (< m m2)))
(assert (not (< (fl l nu m) (fl l nu m2))))
(echo "expect-unsat: infimum / f_l(m) is increasing in m >= nu/l")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (>= l (+ nu 1.0))))
(assert (isRoot t (/ (- l nu 1.0) (* (+ nu 1.0) (- l 1.0)))))
(assert (not (= (fl l nu (+ (/ nu l) (* (/ (- l nu) l) t))) (/ 1.0 (+ nu 1.0)))))
(echo "expect-unsat: infimum / f_l(B(l, nu)) = 1/(nu+1)")
(check-sat-using qfnra-nlsat)
(pop)

; Crossings with nu < j < l (j >= nu + 1) and vertices u_l (l > nu, so l >= nu + 1) have
; sum omega^2 <= 1/(nu+1).
(declare-const j Real)
(push)
(assert (and (>= nu 1.0) (>= j (+ nu 1.0)) (< j l) (<= 0.0 lam) (<= lam 1.0)))
(assert (not (and (<= (+ (/ 1.0 l) (* lam lam (- (/ 1.0 j) (/ 1.0 l)))) (/ 1.0 (+ nu 1.0)))
                  (<= (/ 1.0 l) (/ 1.0 (+ nu 1.0))))))
(echo "expect-unsat: infimum / crossings with nu < j < l and vertices u_l, l > nu, have sum <= 1/(nu+1)")
(check-sat-using qfnra-nlsat)
(pop)
