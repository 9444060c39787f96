; Machine checks for ../T-tight-infimum.md (the tight infimum T(k, nu, N) of the kept mass
; over a shell). Conventions: see the head of theorem-4.2.smt2 (one claim per push/pop,
; negated; `expect-unsat:` = proved, `expect-sat:` = deliberately false variant; denominators
; kept positive by hypotheses; square roots as non-negative variables).
;
; Notation as in the proof: n = nu + 1, a = 1/n, g(m) = min(k, m)/m, vertices u_m of the
; ordered simplex, edges omega(lam) = lam u_j + (1 - lam) u_l (j < l), mu_l = lambda_a(1, l),
; G_k(mu) = ((n - k) + n(k - 1) mu^2)/(n(1 + mu)), Q(mu) = n(k-1)mu^2 + 2n(k-1)mu - (n-k).
; Counts (k, nu, n, N, j, l, m) are Real unless integrality is used; a claim proved for reals
; under the stated hypotheses holds for the integers in particular.

(declare-const k Real)
(declare-const nu Real)
(declare-const N Real)
(declare-const j Real)
(declare-const l Real)
(declare-const m1 Real)
(declare-const m2 Real)
(declare-const lam Real)
(declare-const lam1 Real)
(declare-const lam2 Real)
(declare-const mu Real)
(declare-const mu1 Real)
(declare-const mu2 Real)
(declare-const muN Real)
(declare-const n Real)   ; n = nu + 1 where the claim says so

(define-fun g ((k Real) (m Real)) Real (/ (ite (<= k m) k m) m))
(define-fun qEdge ((j Real) (l Real) (lam Real)) Real (+ (* lam lam (- (/ 1.0 j) (/ 1.0 l))) (/ 1.0 l)))
(define-fun G ((k Real) (n Real) (mu Real)) Real
  (/ (+ (- n k) (* n (- k 1.0) mu mu)) (* n (+ 1.0 mu))))
(define-fun Q ((k Real) (n Real) (mu Real)) Real
  (- (+ (* n (- k 1.0) mu mu) (* 2.0 n (- k 1.0) mu)) (- n k)))
(define-fun F ((k Real) (l Real) (mu Real)) Real (+ (/ k l) (* (- 1.0 (/ k l)) mu)))
; mu_l^2 = (l - n)/(n(l - 1))
(define-fun isMu ((n Real) (l Real) (mu Real)) Bool
  (and (>= mu 0.0) (= (* mu mu) (/ (- l n) (* n (- l 1.0))))))

; ---------------------------------------------------------------------------------------
; Step 0: g(m) = min(k, m)/m is non-increasing in m.
(push)
(assert (>= k 1.0))
(assert (and (>= m1 1.0) (< m1 m2)))
(assert (not (>= (g k m1) (g k m2))))
(echo "expect-unsat: step 0 / g(m) = min(k,m)/m is non-increasing")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Step 1 (edges): with u_j.u_j = j/j^2, u_j.u_l = j/(j l), u_l.u_l = l/l^2 (j < l),
; q(lam) = lam^2 u_j.u_j + 2 lam (1-lam) u_j.u_l + (1-lam)^2 u_l.u_l = lam^2 (1/j - 1/l) + 1/l.
(push)
(assert (and (>= j 1.0) (< j l)))
(assert (not (= (+ (* lam lam (/ j (* j j))) (* 2.0 lam (- 1.0 lam) (/ j (* j l)))
                   (* (- 1.0 lam) (- 1.0 lam) (/ l (* l l))))
                (qEdge j l lam))))
(echo "expect-unsat: step 1 / q on the edge [u_j, u_l] is lam^2 (1/j - 1/l) + 1/l")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= j 1.0) (< j l)))
(assert (and (<= 0.0 lam1) (< lam1 lam2) (<= lam2 1.0)))
(assert (not (< (qEdge j l lam1) (qEdge j l lam2))))
(echo "expect-unsat: step 1 / q is strictly increasing in lam on [0, 1]")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= k 1.0) (>= j 1.0) (< j l)))
(assert (<= lam1 lam2))
(assert (not (<= (+ (* lam1 (g k j)) (* (- 1.0 lam1) (g k l)))
                 (+ (* lam2 (g k j)) (* (- 1.0 lam2) (g k l))))))
(echo "expect-unsat: step 1 / phi_k(lam) = lam g(j) + (1-lam) g(l) is non-decreasing")
(check-sat-using qfnra-nlsat)
(pop)

; j <= n < l: lambda_a^2 = (a - 1/l)/(1/j - 1/l) = j(l - n)/(n(l - j)), in (0, 1], q(lambda_a) = a.
(push)
(assert (and (>= nu 1.0) (>= j 1.0) (<= j (+ nu 1.0)) (> l (+ nu 1.0))))
(assert (= n (+ nu 1.0)))
(assert (not (and (= (/ (- (/ 1.0 n) (/ 1.0 l)) (- (/ 1.0 j) (/ 1.0 l))) (/ (* j (- l n)) (* n (- l j))))
                  (> (/ (* j (- l n)) (* n (- l j))) 0.0)
                  (<= (/ (* j (- l n)) (* n (- l j))) 1.0))))
(echo "expect-unsat: step 1 / lambda_a^2 = j(l-n)/(n(l-j)) in (0, 1] for j <= n < l")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (>= j 1.0) (<= j (+ nu 1.0)) (> l (+ nu 1.0))))
(assert (= n (+ nu 1.0)))
(assert (and (>= lam 0.0) (= (* lam lam) (/ (* j (- l n)) (* n (- l j))))))
(assert (not (= (qEdge j l lam) (/ 1.0 n))))
(echo "expect-unsat: step 1 / q(lambda_a) = a")
(check-sat-using qfnra-nlsat)
(pop)

; {lam in [0,1] : q(lam) >= a} is [lambda_a, 1] (j <= n < l), all of [0, 1] (l <= n), empty (j > n).
(push)
(assert (and (>= nu 1.0) (>= j 1.0) (<= j (+ nu 1.0)) (> l (+ nu 1.0))))
(assert (= n (+ nu 1.0)))
(assert (and (>= lam1 0.0) (= (* lam1 lam1) (/ (* j (- l n)) (* n (- l j))))))
(assert (and (<= 0.0 lam) (<= lam 1.0)))
(assert (not (= (>= (qEdge j l lam) (/ 1.0 n)) (>= lam lam1))))
(echo "expect-unsat: step 1 / for j <= n < l: q(lam) >= a iff lam >= lambda_a")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (>= j 1.0) (< j l) (<= l (+ nu 1.0))))
(assert (and (<= 0.0 lam) (<= lam 1.0)))
(assert (not (>= (qEdge j l lam) (/ 1.0 (+ nu 1.0)))))
(echo "expect-unsat: step 1 / for l <= n: q(lam) >= a on all of [0, 1]")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (> j (+ nu 1.0)) (< j l)))
(assert (and (<= 0.0 lam) (<= lam 1.0)))
(assert (not (< (qEdge j l lam) (/ 1.0 (+ nu 1.0)))))
(echo "expect-unsat: step 1 / for j > n: q(lam) < a on all of [0, 1]")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Step 3 (closure), the scalar step: q(omega + t d) = a + 2t(omega_1 - q) + t^2 |d|^2 > a
; for t in (0, 1] when omega_1 - q >= 0 and |d|^2 > 0.
(declare-const t Real)
(declare-const c1 Real)
(declare-const dd Real)
(declare-const a Real)
(push)
(assert (and (> t 0.0) (<= t 1.0) (>= c1 0.0) (> dd 0.0)))
(assert (not (> (+ a (* 2.0 t c1) (* t t dd)) a)))
(echo "expect-unsat: step 3 / a + 2t(omega_1 - q) + t^2 |d|^2 > a for t in (0, 1]")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Step 4: vertices u_l with l < nu have q = 1/l > b = 1/nu; on the edge with j = n the point
; at lambda_a is u_n (lambda_a = 1).
(push)
(assert (and (>= l 1.0) (< l nu)))
(assert (not (> (/ 1.0 l) (/ 1.0 nu))))
(echo "expect-unsat: step 4 / u_l with l < nu has q = 1/l > b")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (> l (+ nu 1.0))))
(assert (= n (+ nu 1.0)))
(assert (and (>= lam 0.0) (= (* lam lam) (/ (* n (- l n)) (* n (- l n))))))
(assert (not (= lam 1.0)))
(echo "expect-unsat: step 4 / j = n gives lambda_a = 1 (the point is u_n)")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Step 5, which case: for j <= nu, (j < k or k > nu) gives g(j) = 1.
(push)
(assert (and (>= k 1.0) (>= nu 1.0) (>= j 1.0) (<= j nu)))
(assert (or (< j k) (> k nu)))
(assert (not (= (g k j) 1.0)))
(echo "expect-unsat: step 5 / j <= nu and (j < k or k > nu) give g(j) = 1")
(check-sat-using qfnra-nlsat)
(pop)

; Step 5 (reduction to j = 1), first case: g(j) = 1, phi_k(e_jl) = lambda_a + (1 - lambda_a) g(l)
; = g(l) + lambda_a (1 - g(l)), and lambda_a^2 = j(l-n)/(n(l-j)) increases with j, so
; phi_k(e_jl) is smallest at the smallest j.
(push)
(assert (and (>= k 1.0) (>= nu 1.0) (>= m1 1.0) (< m1 m2) (<= m2 nu) (> l (+ nu 1.0))))
(assert (= n (+ nu 1.0)))
(assert (and (>= lam1 0.0) (= (* lam1 lam1) (/ (* m1 (- l n)) (* n (- l m1))))))
(assert (and (>= lam2 0.0) (= (* lam2 lam2) (/ (* m2 (- l n)) (* n (- l m2))))))
(assert (not (and (< lam1 lam2)
                  (= (+ lam1 (* (- 1.0 lam1) (g k l))) (+ (g k l) (* lam1 (- 1.0 (g k l)))))
                  (<= (+ (g k l) (* lam1 (- 1.0 (g k l)))) (+ (g k l) (* lam2 (- 1.0 (g k l))))))))
(echo "expect-unsat: step 5 / lambda_a(j) increases with j, so phi_k(e_jl) is least at j = 1")
(check-sat-using qfnra-nlsat)
(pop)

; Second case, k <= j <= nu: phi_k(e_jl) = k omega_1 >= k q = k a = g(n).
(declare-const w1 Real)
(push)
(assert (and (>= k 1.0) (<= k nu)))
(assert (= n (+ nu 1.0)))
(assert (>= w1 (/ 1.0 n)))
(assert (not (>= (* k w1) (g k n))))
(echo "expect-unsat: step 5 / k <= nu and omega_1 >= q = a give k omega_1 >= g(n)")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Step 6 (reduction to l = N).
(push)
(assert (and (>= nu 1.0) (> l (+ nu 1.0))))
(assert (not (= (/ (- l (+ nu 1.0)) (- l 1.0)) (- 1.0 (/ nu (- l 1.0))))))
(echo "expect-unsat: step 6 / (l - n)/(l - 1) = 1 - nu/(l - 1)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (> m1 (+ nu 1.0)) (< m1 m2)))
(assert (= n (+ nu 1.0)))
(assert (isMu n m1 mu1))
(assert (isMu n m2 mu2))
(assert (not (< mu1 mu2)))
(echo "expect-unsat: step 6 / l -> mu_l is strictly increasing")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (>= nu 1.0))
(assert (= n (+ nu 1.0)))
(assert (isMu n (+ n 1.0) mu))
(assert (not (= mu (/ 1.0 n))))
(echo "expect-unsat: step 6 / mu_{n+1} = 1/n")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (> l (+ nu 1.0))))
(assert (= n (+ nu 1.0)))
(assert (isMu n l mu))
(assert (not (< (* mu mu) (/ 1.0 n))))
(echo "expect-unsat: step 6 / mu_l < 1/sqrt(n)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (> l (+ nu 1.0))))
(assert (= n (+ nu 1.0)))
(assert (isMu n l mu))
(assert (not (= (/ 1.0 l) (/ (- 1.0 (* n mu mu)) (* n (- 1.0 (* mu mu)))))))
(echo "expect-unsat: step 6 / 1/l = (1 - n mu^2)/(n(1 - mu^2))")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= nu 1.0) (> l (+ nu 1.0)) (>= k 1.0)))
(assert (= n (+ nu 1.0)))
(assert (isMu n l mu))
(assert (not (and (= (- 1.0 (F k l mu)) (* (- 1.0 (/ k l)) (- 1.0 mu)))
                  (= (* (- 1.0 (/ k l)) (- 1.0 mu)) (G k n mu)))))
(echo "expect-unsat: step 6 / 1 - F(l) = (1 - k/l)(1 - mu_l) = G_k(mu_l)")
(check-sat-using qfnra-nlsat)
(pop)

; G_k' = Q/(n(1+mu)^2): with P = (n-k) + n(k-1)mu^2 and P' = 2n(k-1)mu (G = P/(n(1+mu))),
; the quotient rule gives G' = (P'(1+mu) - P)/(n(1+mu)^2); its numerator is Q.
(push)
(assert (>= k 1.0))
(assert (not (= (- (* 2.0 n (- k 1.0) mu (+ 1.0 mu)) (+ (- n k) (* n (- k 1.0) mu mu))) (Q k n mu))))
(echo "expect-unsat: step 6 / G_k' = Q/(n(1+mu)^2) (quotient-rule numerator is Q)")
(check-sat-using qfnra-nlsat)
(pop)

; The same without calculus: the secant identity
; G(mu2) - G(mu1) = (mu2 - mu1)(n(k-1)(mu1 mu2 + mu1 + mu2) - (n - k))/(n(1+mu1)(1+mu2)).
(push)
(assert (and (>= n 2.0) (>= k 1.0) (>= mu1 0.0) (>= mu2 0.0)))
(assert (not (= (- (G k n mu2) (G k n mu1))
                (/ (* (- mu2 mu1) (- (* n (- k 1.0) (+ (* mu1 mu2) mu1 mu2)) (- n k)))
                   (* n (+ 1.0 mu1) (+ 1.0 mu2))))))
(echo "expect-unsat: step 6 / secant identity for G_k")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= n 2.0) (>= k 1.0) (<= 0.0 mu1) (<= mu1 mu2)))
(assert (not (<= (Q k n mu1) (Q k n mu2))))
(echo "expect-unsat: step 6 / Q is non-decreasing on mu >= 0")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= n 2.0) (>= k 1.0) (<= 0.0 mu1) (<= mu1 mu) (<= mu mu2)))
(assert (not (or (<= (G k n mu) (G k n mu1)) (<= (G k n mu) (G k n mu2)))))
(echo "expect-unsat: step 6 / the maximum of G_k over an interval of mu >= 0 is at an end")
(check-sat-using qfnra-nlsat)
(pop)

; case k >= n: Q(mu) > 0 for mu > 0, so G_k increases (l = N is best)
(push)
(assert (and (>= n 2.0) (>= k n) (> mu 0.0)))
(assert (not (> (Q k n mu) 0.0)))
(echo "expect-unsat: step 6 / k >= n: Q(mu) > 0 for mu > 0")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= n 2.0) (>= k n) (<= 0.0 mu1) (< mu1 mu2)))
(assert (not (< (G k n mu1) (G k n mu2))))
(echo "expect-unsat: step 6 / k >= n: G_k strictly increasing on mu >= 0")
(check-sat-using qfnra-nlsat)
(pop)

; case k <= nu:
(push)
(assert (and (>= n 2.0) (>= k 1.0)))
(assert (not (= (G k n (/ 1.0 n)) (/ (+ (* n (- n k)) k -1.0) (* n (+ n 1.0))))))
(echo "expect-unsat: step 6 / G_k(1/n) = (n(n-k) + k - 1)/(n(n+1))")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= n 2.0) (>= k 1.0) (<= k (- n 1.0))))
(assert (<= (G k n (/ 1.0 n)) (/ (- n k) n)))
(assert (not (>= (- 1.0 (G k n (/ 1.0 n))) (g k n))))
(echo "expect-unsat: step 6 / k <= nu, G_k(1/n) <= (n-k)/n: F(n+1) >= g(n)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= n 2.0) (>= k 1.0) (<= k (- n 1.0))))
(assert (> (G k n (/ 1.0 n)) (/ (- n k) n)))
(assert (not (> (- k 1.0) (- n k))))
(echo "expect-unsat: step 6 / k <= nu, G_k(1/n) > (n-k)/n implies k - 1 > n - k")
(check-sat-using qfnra-nlsat)
(pop)

(declare-const ki Int)
(declare-const ni Int)
(push)
(assert (> (- ki 1) (- ni ki)))
(assert (not (<= ni (- (* 2 ki) 2))))
(echo "expect-unsat: step 6 / integers: k - 1 > n - k implies n <= 2k - 2")
(check-sat)
(pop)

(push)
(assert (and (>= n 2.0) (>= k 1.0) (<= k (- n 1.0)) (<= n (- (* 2.0 k) 2.0))))
(assert (not (and (>= k 2.0)
                  (= (Q k n (/ 1.0 n)) (- (+ (/ (- k 1.0) n) (* 3.0 k)) 2.0 n))
                  (>= (Q k n (/ 1.0 n)) (+ (/ (- k 1.0) n) k))
                  (> (+ (/ (- k 1.0) n) k) 0.0))))
(echo "expect-unsat: step 6 / n <= 2k - 2: k >= 2, Q(1/n) = (k-1)/n + 3k - 2 - n >= (k-1)/n + k > 0")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= n 2.0) (>= k 1.0) (<= k (- n 1.0)) (<= n (- (* 2.0 k) 2.0))))
(assert (and (<= (/ 1.0 n) mu1) (< mu1 mu2)))
(assert (not (< (G k n mu1) (G k n mu2))))
(echo "expect-unsat: step 6 / n <= 2k - 2: G_k strictly increasing on [1/n, oo)")
(check-sat-using qfnra-nlsat)
(pop)

; False variant: "G_k increases on [1/n, oo) for every k <= nu" (fails at k = 1, for one).
; (Integer k and n, and mu below 1/sqrt(n), the range of mu_l, so that z3's model is a real case.)
(push)
(assert (and (>= n 2.0) (>= k 1.0) (<= k (- n 1.0)) (is_int k) (is_int n)))
(assert (and (<= (/ 1.0 n) mu1) (< mu1 mu2) (< (* n mu2 mu2) 1.0)))
(assert (not (< (G k n mu1) (G k n mu2))))
(echo "expect-sat: step 6, without the case split / G_k increasing on [1/n, 1/sqrt(n)) for every k <= nu (false)")
(check-sat)
(pop)

; The step's conclusion, all cases at once: for n < l <= N, F(l) >= min(g(n), F(N)).
; (mu ranges over [mu_{n+1}, mu_N] = [1/n, mu_N]; F(l) = 1 - G_k(mu_l).)
(push)
(assert (and (>= n 2.0) (>= k 1.0) (<= (/ 1.0 n) mu) (<= mu muN)))
(assert (not (>= (- 1.0 (G k n mu)) (ite (<= (g k n) (- 1.0 (G k n muN))) (g k n) (- 1.0 (G k n muN))))))
(echo "expect-unsat: step 6 / min over n < l <= N of F(l) is >= min(g(n), F(N))")
(check-sat-using qfnra-nlsat)
(pop)

; N = n (nu = N - 1): lambda_N = 0 and F = k/N = g(n) for k <= N.
(push)
(assert (and (>= nu 1.0) (= N (+ nu 1.0)) (>= k 1.0) (<= k N)))
(assert (and (>= lam 0.0) (= (* lam lam) (/ (- N nu 1.0) (* (+ nu 1.0) (- N 1.0))))))
(assert (not (and (= lam 0.0) (= (F k N lam) (/ k N)) (= (/ k N) (g k (+ nu 1.0))))))
(echo "expect-unsat: step 6 / N = n: lambda_N = 0 and F = k/N = g(n)")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Step 7 (attainment).
(push)
(assert (and (>= nu 1.0) (< nu N) (>= k 1.0) (< k N)))
(assert (and (>= lam 0.0) (= (* lam lam) (/ (- N nu 1.0) (* (+ nu 1.0) (- N 1.0))))))
(assert (not (and (< lam 1.0) (< (F k N lam) 1.0))))
(echo "expect-unsat: step 7 / k < N: lambda_N < 1 and F < 1")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= k 1.0) (>= j 1.0) (< j l)))
(assert (not (= (- (+ (* lam2 (g k j)) (* (- 1.0 lam2) (g k l))) (+ (* lam1 (g k j)) (* (- 1.0 lam1) (g k l))))
                (* (- lam2 lam1) (- (g k j) (g k l))))))
(echo "expect-unsat: step 7 / phi_k(lam') - phi_k(lam) = (lam' - lam)(g(j) - g(l))")
(check-sat-using qfnra-nlsat)
(pop)

; integers: g(j) = g(l) with j < l forces l <= k (then both are 1); g(min(k,m)/m) as a fraction.
(declare-const ji Int)
(declare-const li Int)
(define-fun mini ((x Int) (y Int)) Int (ite (<= x y) x y))
(push)
(assert (and (>= ki 1) (>= ji 1) (< ji li)))
(assert (= (* (mini ki ji) li) (* (mini ki li) ji)))
(assert (not (<= li ki)))
(echo "expect-unsat: step 7 / integers: g(j) = g(l) with j < l only if l <= k")
(check-sat)
(pop)

; ---------------------------------------------------------------------------------------
; Consequences. k = 1: G_1(mu) = (n-1)/(n(1+mu)) < (n-1)/n for mu > 0, so F > g(n) = 1/n.
(push)
(assert (and (>= n 2.0) (> mu 0.0)))
(assert (not (and (= (G 1.0 n mu) (/ (- n 1.0) (* n (+ 1.0 mu))))
                  (< (G 1.0 n mu) (/ (- n 1.0) n))
                  (> (- 1.0 (G 1.0 n mu)) (g 1.0 n)))))
(echo "expect-unsat: consequences / k = 1: G_1(mu) < (n-1)/n, so T(1, nu, N) = 1/(nu+1)")
(check-sat-using qfnra-nlsat)
(pop)

; False variant: "T = F for every k" (i.e. F <= g(n) always); false at k = 1.
(push)
(assert (and (>= n 2.0) (>= k 1.0) (is_int k) (is_int n) (> mu 0.0) (< (* n mu mu) 1.0)))
(assert (not (<= (- 1.0 (G k n mu)) (g k n))))
(echo "expect-sat: consequences / F(N) <= g(n) for every k (false, e.g. k = 1)")
(check-sat)
(pop)

; ---------------------------------------------------------------------------------------
; Computation (witness): on [u_1, u_l], phi_k(lam) = lam + (1-lam) g(l), so
; phi_k(lam') - T = (lam' - lam*)(1 - g(l)) when T = phi_k(lam*).
(push)
(assert (and (>= k 1.0) (>= l 2.0)))
(assert (not (= (- (+ lam2 (* (- 1.0 lam2) (g k l))) (+ lam1 (* (- 1.0 lam1) (g k l))))
                (* (- lam2 lam1) (- 1.0 (g k l))))))
(echo "expect-unsat: computation / witness excess phi_k(lam') - T = (lam' - lam*)(1 - g(l))")
(check-sat-using qfnra-nlsat)
(pop)
