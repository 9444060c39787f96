(* Machine checks for ../../5-asymptotic-form.md, for every N and k (Coq, on lists of reals;
   definitions in Simplex.v). With w on the ordered simplex, m = phi_k(w) the sum of its k
   largest entries and q = sum w^2 = 1/N_eff:
   - top_block:            entries >= y >= 0: sum x^2 <= (sum x - (k-1) y)^2 + (k-1) y^2;
   - tail_block:           entries in [0, y]: sum x^2 <= y * sum x;
   - split_at_k:           the first k entries are >= w_k, the others <= w_k;
   - quadratic_at_ends:    g(y) <= max(m^2, m/k) for 0 <= k y <= m;
   - lemma_sumsq:          q <= max(m^2, m/k)                          (the Lemma);
   - phi_ge_min:           m >= min(k q, sqrt q) = min(k/N_eff, 1/sqrt N_eff)   (the Theorem);
   - corrected_nu_ge_2:    k = nu >= 2 and q > 1/(nu+1) (w in A_nu): m >= sqrt q;
   - corrected_nu_1:       k = nu = 1 and q > 1/2: m >= q > 1/2;
   - every_n_at_p_nu:      for nu >= 2 and every N >= nu + 1, -1 + (a+1) X - a Y < 0
                           (a = N - nu - 1, X = t, Y = t sqrt((N-1)/N)): N_0(nu) = nu + 1. *)
From Coq Require Import Reals Lra Lia List Psatz.
From EMPProofs Require Import Simplex.
Import ListNotations.
Open Scope R_scope.

Lemma top_block top y :
  all_ge top y -> 0 <= y ->
  sumsq top <= (sum top - (len top - 1) * y) * (sum top - (len top - 1) * y) + (len top - 1) * y * y.
Proof.
  intros H Hy. induction H as [| x t Hx Ht IH].
  - unfold len; simpl; lra.
  - simpl sum; simpl sumsq; rewrite len_cons.
    pose proof (sum_ge_len_min t y Ht) as Hs.
    set (n := len t) in *. set (S := sum t) in *.
    assert (Hp : 0 <= (S - n * y) * (x - y)) by (apply Rmult_le_pos; lra).
    nra.
Qed.

Lemma tail_block tail y : all_le tail y -> nonneg tail -> sumsq tail <= y * sum tail.
Proof.
  intros H Hn. induction H as [| x t Hx Ht IH]; simpl; [lra|].
  inversion Hn; subst.
  assert (x * x <= y * x) by (apply Rmult_le_compat_r; lra).
  specialize (IH H2). lra.
Qed.

Lemma nth_in_all_le t x i : all_le t x -> (i < length t)%nat -> nth i t 0 <= x.
Proof. intros H Hi. apply (all_le_in t x); auto. apply nth_In; auto. Qed.

Lemma split_at_k w k :
  noninc w -> (1 <= k <= length w)%nat ->
  all_ge (firstn k w) (nth (k - 1) w 0) /\ all_le (skipn k w) (nth (k - 1) w 0).
Proof.
  revert k; induction w as [| x t IH]; intros k Hd Hk; simpl in Hk; [lia|].
  destruct Hd as [Hx Ht].
  destruct k as [| [| k'']]; [lia| |].
  - simpl. split; [constructor; [lra | constructor] | exact Hx].
  - specialize (IH (S k'') Ht ltac:(lia)).
    replace (S (S k'') - 1)%nat with (S k'') by lia.
    replace (S k'' - 1)%nat with k'' in IH by lia.
    simpl nth. simpl firstn. simpl skipn. destruct IH as [IH1 IH2].
    split; [constructor; [apply nth_in_all_le; auto; lia | exact IH1] | exact IH2].
Qed.

(* g(y) = (m - (k-1) y)^2 + (k-1) y^2 + y (1 - m) is at most max(m^2, m/k) on 0 <= k y <= m. *)
Lemma quadratic_at_ends k m y :
  1 <= k -> 0 <= y -> k * y <= m ->
  (m - (k - 1) * y) * (m - (k - 1) * y) + (k - 1) * y * y + y * (1 - m) <= Rmax (m * m) (m / k).
Proof.
  intros Hk Hy Hm.
  (* g(y) = m^2 + y (1 - k m) + y (k - 1)(k y - m), and the last term is <= 0 *)
  assert (Hg : (m - (k - 1) * y) * (m - (k - 1) * y) + (k - 1) * y * y + y * (1 - m)
               = m * m + y * (1 - k * m) + y * (k - 1) * (k * y - m)) by ring.
  assert (Hneg : y * (k - 1) * (k * y - m) <= 0).
  { assert (0 <= y * (k - 1)) by (apply Rmult_le_pos; lra). nra. }
  rewrite Hg.
  destruct (Rle_or_lt 1 (k * m)) as [Hkm | Hkm].
  - apply Rle_trans with (m * m); [|apply Rmax_l].
    assert (y * (1 - k * m) <= 0) by (assert (0 <= y * (k * m - 1)) by (apply Rmult_le_pos; lra); nra).
    lra.
  - apply Rle_trans with (m / k); [|apply Rmax_r].
    assert (Hk0 : 0 < k) by lra.
    apply (Rmult_le_reg_l k); [lra|].
    replace (k * (m / k)) with m by (field; lra).
    (* k (m^2 + y (1 - k m)) <= k m^2 + m (1 - k m) = m, as k y <= m and 1 - k m > 0 *)
    assert (H1 : k * y * (1 - k * m) <= m * (1 - k * m)) by (apply Rmult_le_compat_r; lra).
    assert (H2 : k * (y * (k - 1) * (k * y - m)) <= 0).
    { rewrite <- (Rmult_0_r k). apply Rmult_le_compat_l; lra. }
    nra.
Qed.

Lemma nonneg_in l x : nonneg l -> In x l -> 0 <= x.
Proof. unfold nonneg; rewrite Forall_forall; auto. Qed.

(* The Lemma of 5-asymptotic-form.md: on the ordered simplex, q <= max(m^2, m/k). *)
Theorem lemma_sumsq w k :
  ordered_simplex w -> (1 <= k <= length w)%nat ->
  sumsq w <= Rmax (sum (firstn k w) * sum (firstn k w)) (sum (firstn k w) / INR k).
Proof.
  intros [[Hnn Hs] Hd] Hk.
  destruct (split_at_k w k Hd Hk) as [Htop Htail].
  set (y := nth (k - 1) w 0) in *.
  assert (Hy : 0 <= y) by (apply (nonneg_in w); [exact Hnn | apply nth_In; lia]).
  set (top := firstn k w) in *. set (tail := skipn k w) in *.
  assert (Hw : w = top ++ tail) by (symmetry; apply firstn_skipn).
  assert (Hsum : sum top + sum tail = 1) by (rewrite <- sum_app, <- Hw; exact Hs).
  assert (Hsq : sumsq w = sumsq top + sumsq tail) by (rewrite Hw at 1; apply sumsq_app).
  assert (Hlen : len top = INR k).
  { unfold len, top. rewrite firstn_length. f_equal. lia. }
  pose proof (top_block top y Htop Hy) as T1. rewrite Hlen in T1.
  pose proof (tail_block tail y Htail (nonneg_skipn w k Hnn)) as T2.
  pose proof (sum_ge_len_min top y Htop) as Hky. rewrite Hlen in Hky.
  assert (Hk1 : 1 <= INR k) by (apply (le_INR 1); lia).
  pose proof (quadratic_at_ends (INR k) (sum top) y Hk1 Hy Hky) as Q.
  rewrite Hsq.
  replace (sum tail) with (1 - sum top) in T2 by lra.
  lra.
Qed.

(* The Theorem: phi_k >= min(k q, sqrt q), i.e. min(k/N_eff, 1/sqrt N_eff). *)
Theorem phi_ge_min w k :
  ordered_simplex w -> (1 <= k <= length w)%nat ->
  sum (firstn k w) >= Rmin (INR k * sumsq w) (sqrt (sumsq w)).
Proof.
  intros Hw Hk.
  pose proof (lemma_sumsq w k Hw Hk) as L.
  set (m := sum (firstn k w)) in *. set (q := sumsq w) in *.
  assert (Hm : 0 <= m).
  { destruct Hw as [[Hnn _] _]. apply sum_nonneg. apply nonneg_firstn, Hnn. }
  assert (Hk0 : 0 < INR k) by (apply lt_0_INR; lia).
  unfold Rmax in L. destruct (Rle_dec (m * m) (m / INR k)) as [Hc | Hc].
  - (* q <= m/k: k q <= m *)
    apply Rle_ge. apply Rle_trans with (INR k * q); [apply Rmin_l|].
    apply (Rmult_le_reg_r (/ INR k)); [apply Rinv_0_lt_compat; lra|].
    replace (INR k * q * / INR k) with q by (field; lra). exact L.
  - (* q <= m^2: sqrt q <= m *)
    apply Rle_ge. apply Rle_trans with (sqrt q); [apply Rmin_r|].
    rewrite <- (sqrt_square m) by exact Hm. apply sqrt_le_1_alt. exact L.
Qed.

(* Corrected statement 5, nu >= 2: w in A_nu (q > 1/(nu+1)), k = nu: m^2 >= q, i.e.
   s_eff >= 1/sqrt N_eff. *)
Theorem corrected_nu_ge_2 w nu :
  ordered_simplex w -> (2 <= nu <= length w)%nat -> sumsq w > / (INR nu + 1) ->
  sum (firstn nu w) * sum (firstn nu w) >= sumsq w /\ sum (firstn nu w) >= sqrt (sumsq w).
Proof.
  intros Hw Hk Hq.
  pose proof (lemma_sumsq w nu Hw ltac:(lia)) as L.
  set (m := sum (firstn nu w)) in *. set (q := sumsq w) in *.
  assert (Hm : 0 <= m).
  { destruct Hw as [[Hnn _] _]. apply sum_nonneg. apply nonneg_firstn, Hnn. }
  assert (Hn2 : 2 <= INR nu) by (apply (le_INR 2); lia).
  assert (Hn0 : 0 < INR nu) by lra.
  assert (Hsq : m * m >= q).
  { unfold Rmax in L. destruct (Rle_dec (m * m) (m / INR nu)) as [Hc | Hc]; [|lra].
    (* then m <= 1/nu, so q <= m/nu <= 1/nu^2 <= 1/(nu+1) < q *)
    exfalso.
    assert (Hm1 : m <= / INR nu).
    { destruct (Rle_or_lt m (/ INR nu)) as [|Hlt]; [assumption|].
      assert (m * INR nu > 1).
      { apply (Rmult_lt_compat_r (INR nu)) in Hlt; [|lra]. rewrite Rinv_l in Hlt; lra. }
      assert (m / INR nu < m * m).
      { unfold Rdiv. apply (Rmult_lt_reg_r (INR nu)); [lra|].
        replace (m * / INR nu * INR nu) with m by (field; lra). nra. }
      lra. }
    assert (Hq1 : q <= / (INR nu * INR nu)).
    { apply Rle_trans with (m / INR nu); [exact L|].
      unfold Rdiv. rewrite Rinv_mult. apply Rmult_le_compat_r; [|exact Hm1].
      left; apply Rinv_0_lt_compat; lra. }
    assert (/ (INR nu * INR nu) <= / (INR nu + 1)).
    { apply Rinv_le_contravar; [lra|]. nra. }
    lra. }
  split; [exact Hsq|].
  apply Rle_ge. rewrite <- (sqrt_square m) by exact Hm. apply sqrt_le_1_alt. lra.
Qed.

(* Corrected statement 5, nu = 1: w in A_1 (q > 1/2): m = w_1 >= q > 1/2. *)
Theorem corrected_nu_1 w :
  ordered_simplex w -> (1 <= length w)%nat -> sumsq w > / 2 ->
  sum (firstn 1 w) >= sumsq w /\ sum (firstn 1 w) > / 2.
Proof.
  intros Hw Hk Hq.
  pose proof (lemma_sumsq w 1 Hw ltac:(lia)) as L.
  set (m := sum (firstn 1 w)) in *.
  assert (Hm1 : m <= 1).
  { destruct Hw as [[Hnn Hs] _]. unfold m. destruct w as [| x t]; [simpl in Hk; lia|].
    simpl. simpl in Hs. inversion Hnn; subst. pose proof (sum_nonneg t H2). lra. }
  assert (Hm0 : 0 <= m).
  { destruct Hw as [[Hnn _] _]. unfold m. destruct w as [| x t]; [simpl in Hk; lia|].
    simpl. inversion Hnn; subst. lra. }
  simpl INR in L. replace (m / 1) with m in L by field.
  unfold Rmax in L. destruct (Rle_dec (m * m) m); [lra|nra].
Qed.

(* ---- N_0(nu) = nu + 1: the statement fails near p_nu for every N >= nu + 1 (nu >= 2) ------ *)

(* The core inequality over X, Y, s with X^2 n (a + n - 1) = a, Y^2 n (a + n) = a, s^2 = n. *)
Lemma every_n_core a n X Y s :
  0 <= a -> 3 <= n -> 0 <= X -> 0 <= Y -> 0 <= s ->
  X * X * (n * (a + n - 1)) = a -> Y * Y * (n * (a + n)) = a -> s * s = n ->
  -1 + (a + 1) * X - a * Y < 0.
Proof.
  intros Ha Hn HX HY Hs EX EY Es.
  assert (Hs32 : 3 / 2 < s) by nra.
  (* X s < 1 *)
  assert (HXs : X * s < 1).
  { assert (X * X * n < 1).
    { destruct (Req_dec a 0) as [Ha0 | Ha0].
      - subst a. assert (H0 : X * X * (n * (n - 1)) = 0) by (rewrite <- EX; ring).
        apply Rmult_integral in H0. destruct H0 as [H0 | H0]; [nra | nra].
      - assert (X * X * n * (a + n - 1) = a) by (transitivity (X * X * (n * (a + n - 1))); [ring | exact EX]).
        nra. }
    assert ((X * s) * (X * s) < 1) by (replace ((X * s) * (X * s)) with (X * X * (s * s)) by ring; rewrite Es; lra).
    assert (0 <= X * s) by (apply Rmult_le_pos; lra). nra. }
  (* Y <= X *)
  assert (HYX : Y <= X).
  { destruct (Rle_or_lt Y X) as [|Hlt]; [assumption|]. exfalso.
    assert (H1 : X * X < Y * Y) by nra.
    assert (H2 : 0 < n * (a + n)) by nra.
    assert (H3 : X * X * (n * (a + n)) < Y * Y * (n * (a + n))) by (apply Rmult_lt_compat_r; assumption).
    assert (H4 : 0 <= X * X * n) by (apply Rmult_le_pos; [apply Rle_0_sqr | lra]).
    assert (H5 : X * X * (n * (a + n)) = X * X * (n * (a + n - 1)) + X * X * n) by ring.
    lra. }
  destruct (Req_dec a 0) as [Ha0 | Ha0].
  - subst a. nra.
  - assert (Ha' : 0 < a) by lra.
    assert (HY0 : 0 < Y).
    { destruct (Rle_or_lt Y 0) as [HY1|]; [|assumption]. assert (Y = 0) by lra. subst Y. nra. }
    (* s a (X^2 - Y^2) <= Y, by squares: a^3 <= (a + n - 1)^2 (a + n) *)
    assert (HD : s * a * (X * X - Y * Y) <= Y).
    { set (D := X * X - Y * Y). set (P := n * (a + n - 1) * (a + n)).
      assert (HP : 0 < P) by (unfold P; apply Rmult_lt_0_compat; nra).
      assert (E1 : D * P = a).
      { transitivity (X * X * (n * (a + n - 1)) * (a + n) - Y * Y * (n * (a + n)) * (a + n - 1));
          [unfold D, P; ring|].
        rewrite EX, EY. ring. }
      assert (HD0 : 0 <= D).
      { unfold D. assert (Y * Y <= X * X) by (apply Rmult_le_compat; lra). lra. }
      assert (Hpos : 0 <= s * a * D) by (apply Rmult_le_pos; [apply Rmult_le_pos|]; lra).
      apply Rsqr_incr_0_var; [|lra]. unfold Rsqr.
      assert (EL : (s * a * D) * (s * a * D) * (P * P) = (n * a) * (a * a * a)).
      { transitivity ((s * s) * a * a * (D * P) * (D * P)); [ring|].
        rewrite Es, E1. ring. }
      assert (ER : (Y * Y) * (P * P) = (n * a) * ((a + n - 1) * (a + n - 1) * (a + n))).
      { transitivity (Y * Y * (n * (a + n)) * (n * (a + n - 1) * (a + n - 1) * (a + n))); [unfold P; ring|].
        rewrite EY. ring. }
      assert (Hc : a * a * a <= (a + n - 1) * (a + n - 1) * (a + n)).
      { assert (a <= a + n - 1) by lra. assert (a <= a + n) by lra.
        assert (a * a <= (a + n - 1) * (a + n - 1)) by (apply Rmult_le_compat; lra).
        apply Rmult_le_compat; nra. }
      apply (Rmult_le_reg_r (P * P)); [nra|].
      rewrite EL, ER. apply Rmult_le_compat_l; [nra | exact Hc]. }
    (* 2 s a (X - Y) <= 1 *)
    assert (H2 : 2 * s * a * (X - Y) <= 1).
    { assert (2 * Y * (X - Y) <= (X + Y) * (X - Y)) by nra.
      assert (2 * s * a * (X - Y) * Y <= Y).
      { apply Rle_trans with (s * a * (X * X - Y * Y)); [|exact HD].
        assert (0 <= s * a) by (apply Rmult_le_pos; lra). nra. }
      nra. }
    (* s (-1 + (a+1) X - a Y) = -s + s X + s a (X - Y) < -s + 1 + 1/2 < 0 *)
    assert (s * (-1 + (a + 1) * X - a * Y) < 0) by nra.
    nra.
Qed.

(* In the paper's terms: for 2 <= nu and N >= nu + 1, with t = sqrt((N-nu-1)/((nu+1)(N-1))),
   N times (right side - (1 - s_eff)) at the limit point p_nu is negative. *)
Theorem every_n_at_p_nu N nu :
  2 <= nu -> nu + 1 <= N ->
  let t := sqrt ((N - nu - 1) / ((nu + 1) * (N - 1))) in
  (N - nu - 1) * (1 - t * sqrt ((N - 1) / N)) - (N - nu) * (1 - t) < 0.
Proof.
  intros Hnu HN t.
  set (a := N - nu - 1). set (n := nu + 1).
  set (Y := t * sqrt ((N - 1) / N)).
  assert (Hq1 : 0 <= (N - nu - 1) / ((nu + 1) * (N - 1))).
  { unfold Rdiv. apply Rmult_le_pos; [lra|]. left; apply Rinv_0_lt_compat; nra. }
  assert (Hq2 : 0 <= (N - 1) / N) by (unfold Rdiv; apply Rmult_le_pos; [lra|left; apply Rinv_0_lt_compat; lra]).
  assert (Ht : 0 <= t) by apply sqrt_pos.
  assert (HY : 0 <= Y) by (apply Rmult_le_pos; [lra | apply sqrt_pos]).
  assert (EX : t * t * (n * (a + n - 1)) = a).
  { unfold t. rewrite sqrt_sqrt by exact Hq1. unfold a, n. field; repeat split; intro Hz; nra. }
  assert (EY : Y * Y * (n * (a + n)) = a).
  { unfold Y. replace (t * sqrt ((N - 1) / N) * (t * sqrt ((N - 1) / N)))
      with ((t * t) * (sqrt ((N - 1) / N) * sqrt ((N - 1) / N))) by ring.
    unfold t. rewrite !sqrt_sqrt by assumption. unfold a, n. field; repeat split; intro Hz; nra. }
  assert (Es : sqrt n * sqrt n = n) by (apply sqrt_sqrt; unfold n; lra).
  pose proof (every_n_core a n t Y (sqrt n) ltac:(unfold a; lra) ltac:(unfold n; lra)
                Ht HY (sqrt_pos n) EX EY Es) as C.
  unfold a, n, Y in *.
  replace ((N - nu - 1) * (1 - t * sqrt ((N - 1) / N)) - (N - nu) * (1 - t))
    with (-1 + (N - nu - 1 + 1) * t - (N - nu - 1) * (t * sqrt ((N - 1) / N))) by ring.
  exact C.
Qed.
