; Machine checks for ../fast-path-error-bounds.md (the fast path's float error bounds,
; certified nu, the cut). Conventions: see the head of theorem-4.2.smt2 (one claim per
; push/pop, negated; `expect-unsat:` = proved, `expect-sat:` = deliberately false variant).
;
; Two kinds of claims: real-arithmetic lemmas with the unit roundoff u kept symbolic (u > 0;
; the code's u = 2^-53 is a case), and IEEE 754 claims checked by z3's floating-point theory
; (bit-precise, for every value of the format). For the latter, "the operation is exact" is
; expressed as: rounding toward -oo and toward +oo give the same result (a real number has
; equal roundings in both directions exactly when it is representable).

(define-fun absr ((x Real)) Real (ite (>= x 0.0) x (- x)))
(define-fun gamma ((n Real) (u Real)) Real (/ (* n u) (- 1.0 (* n u))))

(declare-const u Real)
(declare-const n Real)
(declare-const n1 Real)
(declare-const n2 Real)
(declare-const P Real)
(declare-const delta Real)
(declare-const X Real)

; ---------------------------------------------------------------------------------------
; §1 Magnitudes and squares are exact (IEEE 754 claims).
(define-sort F64 () (_ FloatingPoint 11 53))
(define-sort F32 () (_ FloatingPoint 8 24))
(define-fun two112 () F64 ((_ to_fp 11 53) RNE 5192296858534827628530496329220096.0))
(declare-const h (_ BitVec 15))

; binary16: the 15 magnitude bits shifted left by 13 are a binary32 of value |x| 2^-112
; (normals and subnormals, exponent field e < 31); times 2^112 in binary64 gives |x|, exactly.
(push)
(assert (not (= ((_ extract 14 10) h) #b11111)))
(define-fun img () F64 ((_ to_fp 11 53) RNE ((_ to_fp 8 24) (concat #x0 h #b0000000000000))))
(define-fun val () F64 ((_ to_fp 11 53) RNE ((_ to_fp 5 11) (concat #b0 h))))
(assert (not (and (= (fp.mul RNE img two112) val)
                  (fp.eq (fp.mul RTN img two112) (fp.mul RTP img two112)))))
(echo "expect-unsat: §1 / binary16 bits << 13 as binary32, times 2^112 in binary64, is |x| (exact)")
(check-sat)
(pop)

; bfloat16: the bits shifted left by 16 are the binary32 of the same value (every finite
; magnitude; infinities map to infinity).
(push)
(assert (not (= ((_ extract 14 7) h) #xff)))
(assert (not (= ((_ to_fp 8 24) (concat #b0 h #x0000)) ((_ to_fp 8 24) RNE ((_ to_fp 8 8) (concat #b0 h))))))
(echo "expect-unsat: §1 / bfloat16 bits << 16 are the binary32 of the same value")
(check-sat)
(pop)

; x^2 is exact in binary64 for every finite binary32 x (hence binary16 and bfloat16 x).
(declare-const x32 F32)
(push)
(assert (not (or (fp.isNaN x32) (fp.isInfinite x32))))
(define-fun xd () F64 ((_ to_fp 11 53) RNE x32))
(assert (not (fp.eq (fp.mul RTN xd xd) (fp.mul RTP xd xd))))
(echo "expect-unsat: §1 / x^2 is exact in binary64 for every finite binary32 x")
(check-sat)
(pop)

; False variant: the same for binary64 scores (fl(x^2) rounds, hence the (1 + delta) + eta).
(declare-const x64 F64)
(push)
(assert (not (or (fp.isNaN x64) (fp.isInfinite x64))))
(assert (not (fp.eq (fp.mul RTN x64 x64) (fp.mul RTP x64 x64))))
(echo "expect-sat: §1, binary64 scores / x^2 is exact in binary64 for every finite binary64 x (false)")
(check-sat)
(pop)

; binary64: fl(x^2) = x^2(1 + delta) + eta with |delta| <= u, |eta| <= e gives
; |fl(x^2) - x^2| <= u x^2 + e and fl(x^2) <= (1 + u) x^2 + e (x2 stands for x^2 >= 0).
(declare-const x2 Real)
(declare-const eta Real)
(declare-const e Real)
(push)
(assert (and (>= x2 0.0) (> u 0.0) (<= (absr delta) u) (> e 0.0) (<= (absr eta) e)))
(define-fun t () Real (+ (* x2 (+ 1.0 delta)) eta))
(assert (not (and (<= (absr (- t x2)) (+ (* u x2) e)) (<= t (+ (* (+ 1.0 u) x2) e)))))
(echo "expect-unsat: §1/§3 / one binary64 square: |t - x^2| <= u x^2 + e, t <= (1 + u) x^2 + e")
(check-sat-using qfnra-nlsat)
(pop)

; ---------------------------------------------------------------------------------------
; §2 Outward rounding.
; The real-arithmetic core: if z < r and z <= r- (the next float below r), then z is nearer to
; r- than to r, so round-to-nearest does not return r; symmetrically above.
(declare-const z Real)
(declare-const r Real)
(declare-const rm Real)
(declare-const rp Real)
(push)
(assert (and (< rm r) (< r rp)))
(assert (not (and (=> (and (< z r) (<= z rm)) (< (absr (- z rm)) (absr (- z r))))
                  (=> (and (> z r) (>= z rp)) (< (absr (- z rp)) (absr (- z r)))))))
(echo "expect-unsat: §2 / z <= r.nextDown (or >= r.nextUp) is nearer to it than to r")
(check-sat-using qfnra-nlsat)
(pop)

; The claim itself for binary64 addition, bit for bit, overflow and subnormals included:
; fl(a + b).nextDown <= a + b <= fl(a + b).nextUp, with a + b enclosed as
; [round toward -oo, round toward +oo] (nextUp/nextDown on the bit patterns).
(define-fun bits64 ((x F64)) (_ BitVec 64) ((_ fp.to_ieee_bv 11 53) x))
(define-fun from64 ((b (_ BitVec 64))) F64 ((_ to_fp 11 53) b))
(define-fun nextUp ((x F64)) F64
  (ite (fp.isZero x) (from64 #x0000000000000001)
  (ite (fp.isPositive x) (ite (fp.isInfinite x) x (from64 (bvadd (bits64 x) #x0000000000000001)))
       (from64 (bvsub (bits64 x) #x0000000000000001)))))
(define-fun nextDown ((x F64)) F64 (fp.neg (nextUp (fp.neg x))))
(declare-const fa F64)
(declare-const fb F64)
(push)
(assert (not (or (fp.isNaN fa) (fp.isInfinite fa) (fp.isNaN fb) (fp.isInfinite fb))))
(define-fun rs () F64 (fp.add RNE fa fb))
(assert (not (and (fp.leq (nextDown rs) (fp.add RTN fa fb)) (fp.leq (fp.add RTP fa fb) (nextUp rs)))))
(echo "expect-unsat: §2 / binary64 addition: fl(a+b).nextDown <= a + b <= fl(a+b).nextUp")
(check-sat)
(pop)

; n u and 1 - n u are exact in binary64 for integers 0 <= n < 2^51 (u = 2^-53).
(declare-const nb (_ BitVec 64))
(push)
(assert (bvult nb #x0008000000000000))
(define-fun ud () F64 ((_ to_fp 11 53) RNE (/ 1.0 9007199254740992.0)))
(define-fun one () F64 ((_ to_fp 11 53) RNE 1.0))
(define-fun nd () F64 ((_ to_fp_unsigned 11 53) RTN nb))
(define-fun nud () F64 (fp.mul RNE nd ud))
(assert (not (and (fp.eq nd ((_ to_fp_unsigned 11 53) RTP nb))
                  (fp.eq (fp.mul RTN nd ud) (fp.mul RTP nd ud))
                  (fp.eq (fp.sub RTN one nud) (fp.sub RTP one nud)))))
(echo "expect-unsat: §2 / n, n u and 1 - n u are exact in binary64 for n < 2^51")
(check-sat)
(pop)

; ---------------------------------------------------------------------------------------
; §3 The Lemma (Higham, Lemma 3.1, and its use).
(push)
(assert (and (> u 0.0) (<= 0.0 n1) (<= n1 n2) (< (* n2 u) 1.0)))
(assert (not (<= (gamma n1 u) (gamma n2 u))))
(echo "expect-unsat: §3 / gamma_n is non-decreasing in n (gamma_{d_i} <= gamma_d)")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (> u 0.0))
(assert (not (= (gamma 0.0 u) 0.0)))
(echo "expect-unsat: §3 / Lemma 3.1, induction base: |(empty product) - 1| = 0 = gamma_0")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (> u 0.0) (>= n 0.0) (< (* (+ n 1.0) u) 1.0)))
(assert (<= (absr (- P 1.0)) (gamma n u)))
(assert (<= (absr delta) u))
(assert (not (<= (absr (- (* P (+ 1.0 delta)) 1.0)) (gamma (+ n 1.0) u))))
(echo "expect-unsat: §3 / Lemma 3.1, induction step: |P - 1| <= gamma_n, |delta| <= u give |P(1+delta) - 1| <= gamma_{n+1}")
(check-sat-using qfnra-nlsat)
(pop)

; The same lemma by the brackets (1 - u)^n >= 1 - n u and (1 + u)^n <= 1/(1 - n u) = 1 + gamma_n.
(push)
(assert (and (> u 0.0) (>= n 0.0) (< (* (+ n 1.0) u) 1.0)))
(assert (and (>= X 0.0) (<= X (/ 1.0 (- 1.0 (* n u))))))
(assert (not (<= (* X (+ 1.0 u)) (/ 1.0 (- 1.0 (* (+ n 1.0) u))))))
(echo "expect-unsat: §3 / (1+u)^n <= 1/(1 - n u), induction step")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (> u 0.0) (>= n 0.0) (< (* (+ n 1.0) u) 1.0)))
(assert (>= X (- 1.0 (* n u))))
(assert (not (>= (* X (- 1.0 u)) (- 1.0 (* (+ n 1.0) u)))))
(echo "expect-unsat: §3 / (1-u)^n >= 1 - n u, induction step")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (> u 0.0) (>= n 0.0) (< (* n u) 1.0)))
(assert (and (>= P (- 1.0 (* n u))) (<= P (/ 1.0 (- 1.0 (* n u))))))
(assert (not (<= (absr (- P 1.0)) (gamma n u))))
(echo "expect-unsat: §3 / 1 - n u <= P <= 1/(1 - n u) gives |P - 1| <= gamma_n")
(check-sat-using qfnra-nlsat)
(pop)

; False variant: the induction step without raising the index (false already at u = 2^-53
; and an integer n).
(push)
(assert (and (= u (/ 1.0 (^ 2.0 53))) (>= n 1.0) (is_int n) (< (* (+ n 1.0) u) 1.0)))
(assert (<= (absr (- P 1.0)) (gamma n u)))
(assert (<= (absr delta) u))
(assert (not (<= (absr (- (* P (+ 1.0 delta)) 1.0)) (gamma n u))))
(echo "expect-sat: §3, index not raised / |P(1+delta) - 1| <= gamma_n (false)")
(check-sat)
(pop)

; One term of the sum: t >= 0, |P - 1| <= gamma_{d_i}, d_i <= d give |t P - t| <= gamma_d t.
(declare-const ti Real)
(declare-const di Real)
(declare-const d Real)
(push)
(assert (and (> u 0.0) (>= ti 0.0) (<= 0.0 di) (<= di d) (< (* d u) 1.0)))
(assert (<= (absr (- P 1.0)) (gamma di u)))
(assert (not (<= (absr (- (* ti P) ti)) (* (gamma d u) ti))))
(echo "expect-unsat: §3 / one term: |t_i P_i - t_i| <= gamma_d t_i")
(check-sat-using qfnra-nlsat)
(pop)

; Consequence for binary64 squares: with T = sum fl(x_i^2), |T - S2| <= u S2 + m e,
; T <= (1 + u) S2 + m e and |Sh - T| <= gamma_d T (the Lemma):
; |Sh - S2| <= (gamma_d (1 + u) + u) S2 + (1 + gamma_d) m e <= gamma_{d+1} S2 + alpha,
; alpha = (1 + gamma_d) m 2^-1074, e = 2^-1075.
(declare-const S2 Real)
(declare-const T Real)
(declare-const Sh Real)
(declare-const m Real)
(define-fun e1075 () Real (/ 1.0 (^ 2.0 1075)))
(push)
(assert (and (> u 0.0) (>= d 0.0) (< (* (+ d 1.0) u) 1.0) (>= S2 0.0) (>= m 0.0) (>= T 0.0)))
(assert (<= (absr (- T S2)) (+ (* u S2) (* m e1075))))
(assert (<= T (+ (* (+ 1.0 u) S2) (* m e1075))))
(assert (<= (absr (- Sh T)) (* (gamma d u) T)))
(assert (not (<= (absr (- Sh S2)) (+ (* (+ (* (gamma d u) (+ 1.0 u)) u) S2) (* (+ 1.0 (gamma d u)) m e1075)))))
(echo "expect-unsat: §3 / binary64 squares: |Sh - S2| <= (gamma_d(1+u) + u) S2 + (1 + gamma_d) m 2^-1075")
(check-sat-using qfnra-nlsat)
(pop)

(push)
(assert (and (> u 0.0) (>= d 0.0) (< (* (+ d 1.0) u) 1.0) (>= S2 0.0) (>= m 0.0)))
(assert (not (<= (+ (* (+ (* (gamma d u) (+ 1.0 u)) u) S2) (* (+ 1.0 (gamma d u)) m e1075))
                 (+ (* (gamma (+ d 1.0) u) S2) (* (+ 1.0 (gamma d u)) m (* 2.0 e1075))))))
(echo "expect-unsat: §3 / ... <= gamma_{d+1} S2 + alpha, alpha = (1 + gamma_d) m 2^-1074")
(check-sat-using qfnra-nlsat)
(pop)

; From |Sh - S| <= gamma S + alpha: S in [(Sh - alpha)/(1 + gamma), (Sh + alpha)/(1 - gamma)].
(declare-const S Real)
(declare-const g Real)
(declare-const alpha Real)
(push)
(assert (and (<= 0.0 g) (< g 1.0) (>= S 0.0) (>= alpha 0.0)))
(assert (<= (absr (- Sh S)) (+ (* g S) alpha)))
(assert (not (and (<= (/ (- Sh alpha) (+ 1.0 g)) S) (<= S (/ (+ Sh alpha) (- 1.0 g))))))
(echo "expect-unsat: §3 / |Sh - S| <= gamma S + alpha gives S in [(Sh - alpha)/(1 + gamma), (Sh + alpha)/(1 - gamma)]")
(check-sat-using qfnra-nlsat)
(pop)

; The worked figure: N = 10^8 binary32 scores in blocks of 8192: 12208 blocks,
; ceil(8192/8) = 1024, ceil(log2 12208) = 14, d = 1041, gamma_d ~ 1.2e-13.
(push)
(define-fun blocks () Int 12208)
(assert (not (and (< (* 8192 (- blocks 1)) 100000000) (<= 100000000 (* 8192 blocks))
                  (< 8192 blocks) (<= blocks 16384)
                  (= (+ (div 8192 8) 3 14) 1041)
                  (< 0.00000000000011 (gamma 1041.0 (/ 1.0 (^ 2.0 53))))
                  (< (gamma 1041.0 (/ 1.0 (^ 2.0 53))) 0.00000000000012))))
(echo "expect-unsat: §3 / N = 10^8: 12208 blocks, d = 1024 + 3 + 14 = 1041, 1.1e-13 < gamma_d < 1.2e-13")
(check-sat)
(pop)

; AVX lanes: a lane that starts at +0 and adds non-negative terms is never -0, and adding +0
; to it changes nothing (binary64, bit for bit).
(push)
(assert (and (not (fp.isNaN fa)) (not (fp.isNegative fa)) (not (fp.isNaN fb)) (not (fp.isNegative fb))))
(assert (not (and (not (fp.isNegative (fp.add RNE fa fb)))
                  (= (fp.add RNE fa (_ +zero 11 53)) fa))))
(echo "expect-unsat: §3 / lanes: non-negative + non-negative is never -0, and lane + (+0) = lane")
(check-sat)
(pop)

; ---------------------------------------------------------------------------------------
; §4 N_eff and the certified nu.
(declare-const S1 Real)
(declare-const am Real)
(declare-const ap Real)
(declare-const bm Real)
(declare-const bp Real)
(push)
(assert (and (<= 0.0 am) (<= am S1) (<= S1 ap) (< 0.0 bm) (<= bm S2) (<= S2 bp)))
(assert (not (and (<= (/ (* am am) bp) (/ (* S1 S1) S2)) (<= (/ (* S1 S1) S2) (/ (* ap ap) bm)))))
(echo "expect-unsat: §4 / S1 in [a-, a+], S2 in [b-, b+]: N_eff = S1^2/S2 in [a-^2/b+, a+^2/b-]")
(check-sat-using qfnra-nlsat)
(pop)

; nu(N) = clamp(floor(beta N), 1, Nc) is non-decreasing, so equal values at both ends of an
; enclosure are the value at every point inside it.
(declare-const beta Real)
(declare-const lo Real)
(declare-const mid Real)
(declare-const hi Real)
(push)
(assert (and (> beta 0.0) (<= lo mid) (<= mid hi)))
(assert (not (and (<= (* beta lo) (* beta mid)) (<= (* beta mid) (* beta hi)))))
(echo "expect-unsat: §4 / beta > 0: lo <= N <= hi gives beta lo <= beta N <= beta hi")
(check-sat-using qfnra-nlsat)
(pop)

(declare-const Nc Int)
(define-fun clampNu ((x Real)) Int (ite (< (to_int x) 1) 1 (ite (> (to_int x) Nc) Nc (to_int x))))
(push)
(assert (>= Nc 1))
(assert (and (<= lo mid) (<= mid hi)))   ; lo, mid, hi stand for beta * (the three N_eff values)
(assert (= (clampNu lo) (clampNu hi)))
(assert (not (= (clampNu mid) (clampNu lo))))
(echo "expect-unsat: §4 / clamp(floor(x), 1, N) equal at both ends: equal at every x between")
(check-sat)
(pop)

; ---------------------------------------------------------------------------------------
; §5 The cut and s_eff.
(declare-const K Real)
(declare-const Km Real)
(declare-const Kp Real)
(push)
(assert (and (<= 0.0 Km) (<= Km K) (<= K Kp) (< 0.0 am) (<= am S1) (<= S1 ap)))
(assert (not (and (<= (/ Km ap) (/ K S1)) (<= (/ K S1) (/ Kp am)))))
(echo "expect-unsat: §5 / K in [K-, K+], S1 in [a-, a+]: s_eff = K/S1 in [K-/a+, K+/a-]")
(check-sat-using qfnra-nlsat)
(pop)

; Binary32 comparisons. For binary32 f >= 0 and a double x >= 0: f >= x iff f >= ceil32(x)
; (ceil32 = conversion rounding toward +oo: the least binary32 >= x).
(declare-const f F32)
(declare-const f2 F32)
(declare-const xlow F64)
(push)
(assert (and (not (fp.isNaN f)) (not (fp.isNegative f)) (not (fp.isNaN xlow)) (not (fp.isNegative xlow))))
(assert (not (= (fp.geq ((_ to_fp 11 53) RNE f) xlow) (fp.geq f ((_ to_fp 8 24) RTP xlow)))))
(echo "expect-unsat: §5 / binary32 f >= 0: f >= x iff f >= ceil32(x)")
(check-sat)
(pop)

; Non-negative binary32 values (not NaN, not -0) order like their bit patterns, all in [0, 2^31).
(push)
(assert (and (not (fp.isNaN f)) (not (fp.isNegative f)) (not (fp.isNaN f2)) (not (fp.isNegative f2))))
(define-fun pf () (_ BitVec 32) ((_ fp.to_ieee_bv 8 24) f))
(define-fun pg () (_ BitVec 32) ((_ fp.to_ieee_bv 8 24) f2))
(assert (not (and (= (fp.geq f f2) (bvsge pf pg)) (bvult pf #x80000000))))
(echo "expect-unsat: §5 / non-negative binary32 values order like their patterns (signed), patterns < 2^31")
(check-sat)
(pop)

; One signed compare: for patterns pf, pc in [0, 2^31), pf > pc - 1 (signed) iff pf >= pc.
(declare-const pf (_ BitVec 32))
(declare-const pc (_ BitVec 32))
(push)
(assert (and (bvult pf #x80000000) (bvult pc #x80000000)))
(assert (not (= (bvsgt pf (bvsub pc #x00000001)) (bvuge pf pc))))
(echo "expect-unsat: §5 / pcmpgtd: pattern(f) > pattern(ceil32(x)) - 1 (signed) iff f >= ceil32(x)")
(check-sat)
(pop)

; False variant: the same with an unsigned compare (0 - 1 wraps to 2^32 - 1).
(push)
(assert (and (bvult pf #x80000000) (bvult pc #x80000000)))
(assert (not (= (bvugt pf (bvsub pc #x00000001)) (bvuge pf pc))))
(echo "expect-sat: §5, unsigned compare / pattern(f) > pattern(c) - 1 (unsigned) iff f >= c (false at c = +0)")
(check-sat)
(pop)
