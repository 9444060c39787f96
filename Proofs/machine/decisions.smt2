; Machine checks for ../decisions.md (exact decisions on numbers p + q*sqrt(r), enclosures,
; printed decimals). Conventions: see the head of theorem-4.2.smt2 (one claim per push/pop,
; negated; `expect-unsat:` = proved, `expect-sat:` = deliberately false variant).
;
; A Surd is (p, q, r) with r >= 0; sqrt(r) is a variable s >= 0 with s^2 = r. The
; constructor's invariant (sqrt(r) folded into p when r is a rational square) gives: q /= 0
; implies r is not a square, in particular r > 0. The claims only use that r > 0.

(define-fun sgn ((x Real)) Real (ite (> x 0.0) 1.0 (ite (< x 0.0) (- 1.0) 0.0)))
(define-fun inv ((q Real) (r Real)) Bool (and (>= r 0.0) (=> (not (= q 0.0)) (> r 0.0))))
(define-fun isRoot ((s Real) (r Real)) Bool (and (>= s 0.0) (= (* s s) r)))

; Surd.signum as decisions.md states it ("Sign.")
(define-fun surdSign ((p Real) (q Real) (r Real)) Real
  (ite (= q 0.0) (sgn p)
  (ite (= p 0.0) (sgn q)
  (ite (= (sgn p) (sgn q)) (sgn p)
       (* (sgn p) (sgn (- (* p p) (* q q r))))))))

(declare-const p Real)
(declare-const q Real)
(declare-const r Real)
(declare-const s Real)

; ---------------------------------------------------------------------------------------
; Sign.
(push)
(assert (and (inv q r) (isRoot s r) (= q 0.0)))
(assert (not (= (sgn (+ p (* q s))) (sgn p))))
(echo "expect-unsat: sign / q = 0: sign p")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (inv q r) (isRoot s r) (not (= q 0.0)) (= (sgn p) (sgn q))))
(assert (not (= (sgn (+ p (* q s))) (sgn p))))
(echo "expect-unsat: sign / sign p = sign q: that sign")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (inv q r) (isRoot s r) (not (= q 0.0)) (= p 0.0)))
(assert (not (= (sgn (+ p (* q s))) (sgn q))))
(echo "expect-unsat: sign / p = 0 (q /= 0, so r > 0): sign q")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= r 0.0) (isRoot s r)))
(assert (not (= (> (ite (>= p 0.0) p (- p)) (* (ite (>= q 0.0) q (- q)) s)) (> (* p p) (* q q r)))))
(echo "expect-unsat: sign / |p| > |q| sqrt(r) iff p^2 > q^2 r")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (inv q r) (isRoot s r) (not (= p 0.0)) (not (= q 0.0)) (= (sgn p) (- (sgn q)))))
(assert (not (= (sgn (+ p (* q s))) (* (sgn p) (sgn (- (* p p) (* q q r)))))))
(echo "expect-unsat: sign / opposite signs: sign(p + q sqrt r) = sign p * sign(p^2 - q^2 r)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (inv q r) (isRoot s r)))
(assert (not (= (sgn (+ p (* q s))) (surdSign p q r))))
(echo "expect-unsat: sign / the whole rule: Surd.signum = sign(p + q sqrt r)")
(check-sat-using qfnra-nlsat)
(pop)

; False variants: squaring without the sign care, and p = 0 without the invariant r > 0.
(push)
(assert (and (inv q r) (isRoot s r) (not (= p 0.0)) (not (= q 0.0)) (= (sgn p) (- (sgn q)))))
(assert (not (= (sgn (+ p (* q s))) (sgn (- (* p p) (* q q r))))))
(echo "expect-sat: sign without the sign care / opposite signs: sign(p + q sqrt r) = sign(p^2 - q^2 r) (false)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (>= r 0.0) (isRoot s r) (not (= q 0.0)) (= p 0.0)))
(assert (not (= (sgn (+ p (* q s))) (sgn q))))
(echo "expect-sat: sign without the invariant / p = 0, r >= 0 only: sign q (false at r = 0)")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Comparison of x = p1 + q1 sqrt(r1) and y = p2 + q2 sqrt(r2): d = p1 - p2,
; L = d + q1 sqrt(r1), R = q2 sqrt(r2).
(declare-const p1 Real)
(declare-const q1 Real)
(declare-const r1 Real)
(declare-const s1 Real)
(declare-const p2 Real)
(declare-const q2 Real)
(declare-const r2 Real)
(declare-const s2 Real)
(define-fun hyp2 () Bool (and (inv q1 r1) (isRoot s1 r1) (inv q2 r2) (isRoot s2 r2)))
(define-fun x () Real (+ p1 (* q1 s1)))
(define-fun y () Real (+ p2 (* q2 s2)))
(define-fun d () Real (- p1 p2))
(define-fun L () Real (+ d (* q1 s1)))
(define-fun R () Real (* q2 s2))

(push)
(assert hyp2)
(assert (not (= (- x y) (- L R))))
(echo "expect-unsat: comparison / x - y = L - R")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert hyp2)
(assert (not (and (=> (= q2 0.0) (= (- x y) (+ d (* q1 s1))))
                  (=> (= q1 0.0) (= (- x y) (+ d (* (- q2) s2))))
                  (=> (= r1 r2) (= (- x y) (+ d (* (- q1 q2) s1)))))))
(echo "expect-unsat: comparison / q2 = 0, q1 = 0 or r1 = r2: x - y is a single Surd")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert hyp2)
(assert (not (and (=> (> (sgn L) (sgn R)) (> L R)) (=> (< (sgn L) (sgn R)) (< L R)))))
(echo "expect-unsat: comparison / sign L > sign R gives L > R, sign L < sign R gives L < R")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert hyp2)
(assert (and (= (sgn L) (sgn R)) (not (= (sgn L) 0.0))))
(assert (not (= (sgn (- L R)) (* (sgn L) (sgn (- (* L L) (* R R)))))))
(echo "expect-unsat: comparison / sign L = sign R = sigma /= 0: sign(L - R) = sigma * sign(L^2 - R^2)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert hyp2)
(assert (not (= (- (* L L) (* R R)) (+ (- (+ (* d d) (* q1 q1 r1)) (* q2 q2 r2)) (* 2.0 d q1 s1)))))
(echo "expect-unsat: comparison / L^2 - R^2 = (d^2 + q1^2 r1 - q2^2 r2) + 2 d q1 sqrt(r1)")
(check-sat-using qfnra-nlsat)
(pop)

; Surd.compare as decisions.md states it, and the claim that it is sign(x - y): branch by
; branch, then as one claim.
(define-fun cmpSigned ((sL Real) (sR Real) (sD Real)) Real
  (ite (> sL sR) 1.0 (ite (< sL sR) (- 1.0) (* sL sD))))
(define-fun surdCompare () Real
  (ite (= q2 0.0) (surdSign d q1 r1)
  (ite (= q1 0.0) (surdSign d (- q2) r2)
  (ite (= r1 r2) (surdSign d (- q1 q2) r1)
       (cmpSigned (surdSign d q1 r1) (surdSign 0.0 q2 r2)
                  (surdSign (- (+ (* d d) (* q1 q1 r1)) (* q2 q2 r2)) (* 2.0 d q1) r1))))))
(push)
(assert hyp2)
(assert (= q2 0.0))
(assert (not (= surdCompare (sgn (- x y)))))
(echo "expect-unsat: comparison / Surd.compare = sign(x - y) in the branch q2 = 0")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert hyp2)
(assert (and (not (= q2 0.0)) (= q1 0.0)))
(assert (not (= surdCompare (sgn (- x y)))))
(echo "expect-unsat: comparison / Surd.compare = sign(x - y) in the branch q1 = 0")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert hyp2)
(assert (and (not (= q2 0.0)) (not (= q1 0.0)) (= r1 r2)))
(assert (not (= surdCompare (sgn (- x y)))))
(echo "expect-unsat: comparison / Surd.compare = sign(x - y) in the branch r1 = r2")
(check-sat-using qfnra-nlsat)
(pop)

(define-fun general () Bool (and (not (= q1 0.0)) (not (= q2 0.0)) (not (= r1 r2))))
(push)
(assert (and hyp2 general))
(assert (not (and (= (surdSign d q1 r1) (sgn L)) (= (surdSign 0.0 q2 r2) (sgn R)))))
(echo "expect-unsat: comparison / general branch: the two signs computed are sign L and sign R")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and hyp2 general))
(assert (not (= (surdSign (- (+ (* d d) (* q1 q1 r1)) (* q2 q2 r2)) (* 2.0 d q1) r1) (sgn (- (* L L) (* R R))))))
(echo "expect-unsat: comparison / general branch: the third sign computed is sign(L^2 - R^2)")
(check-sat-using qfnra-nlsat)
(pop)

(declare-const sL Real)
(declare-const sR Real)
(declare-const sD Real)
(push)
(assert (and hyp2 general))
(assert (and (= sL (sgn L)) (= sR (sgn R)) (= sD (sgn (- (* L L) (* R R))))))
(assert (not (= (cmpSigned sL sR sD) (sgn (- x y)))))
(echo "expect-unsat: comparison / general branch: combining the three signs gives sign(x - y)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert hyp2)
(assert (not (= surdCompare (sgn (- x y)))))
(echo "expect-unsat: comparison / the whole rule: Surd.compare = sign(x - y)")
(check-sat-using qfnra-nlsat)
(pop)

; False variant: equal signs without the factor sigma (wrong when both are negative).
(push)
(assert hyp2)
(assert (and (= (sgn L) (sgn R)) (not (= (sgn L) 0.0))))
(assert (not (= (sgn (- L R)) (sgn (- (* L L) (* R R))))))
(echo "expect-sat: comparison without sigma / sign(L - R) = sign(L^2 - R^2) (false for L, R < 0)")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Enclosures: q sqrt(r) = sign(q) sqrt(t), t = q^2 r; with t = u/v (v >= 1), P = 2^bits >= 1
; and s = floor(sqrt(u v P^2)) (s >= 0, s^2 <= u v P^2 < (s+1)^2):
; s/(v P) <= sqrt(t) <= (s+1)/(v P), width 1/(v P) <= 2^-bits, exact when s^2 = u v P^2.
(declare-const w Real)
(declare-const uu Real)
(declare-const vv Real)
(declare-const P Real)
(push)
(assert (and (>= r 0.0) (isRoot s r) (isRoot w (* q q r))))
(assert (not (= (* q s) (* (sgn q) w))))
(echo "expect-unsat: enclosure / q sqrt(r) = sign(q) sqrt(q^2 r)")
(check-sat-using qfnra-nlsat)
(pop)

(define-fun encHyp () Bool
  (and (>= uu 0.0) (>= vv 1.0) (>= P 1.0) (>= s 0.0)
       (<= (* s s) (* uu vv P P)) (< (* uu vv P P) (* (+ s 1.0) (+ s 1.0)))
       (isRoot w (/ uu vv))))
(push)
(assert encHyp)
(assert (not (and (<= (/ s (* vv P)) w) (<= w (/ (+ s 1.0) (* vv P))))))
(echo "expect-unsat: enclosure / s/(v 2^bits) <= sqrt(t) <= (s+1)/(v 2^bits)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert encHyp)
(assert (not (<= (- (/ (+ s 1.0) (* vv P)) (/ s (* vv P))) (/ 1.0 P))))
(echo "expect-unsat: enclosure / width <= 2^-bits")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert encHyp)
(assert (= (* s s) (* uu vv P P)))
(assert (not (= w (/ s (* vv P)))))
(echo "expect-unsat: enclosure / exact when s^2 = u v 4^bits")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; Printed decimals: rounding to nearest, ties to even, on a grid (one fixed decimal exponent,
; scaled to the integers) is a monotone step function, so if both ends of an enclosure round
; to m, so does every number between them.
(define-fun rne ((x Real) (m Int)) Bool
  (or (and (< (- (to_real m) 0.5) x) (< x (+ (to_real m) 0.5)))
      (and (or (= x (+ (to_real m) 0.5)) (= x (- (to_real m) 0.5))) (= (mod m 2) 0))))
(declare-const lo Real)
(declare-const hi Real)
(declare-const z Real)
(declare-const mlo Int)
(declare-const mhi Int)
(declare-const mz Int)
(push)
(assert (and (<= lo z) (<= z hi) (rne lo mlo) (rne hi mhi) (rne z mz) (= mlo mhi)))
(assert (not (= mz mlo)))
(echo "expect-unsat: decimals / both ends round to m (nearest, ties to even), so every point between does")
(check-sat)
(pop)
