(* Machine checks for ../../1-range-and-invariance.md and ../../3-trivial-bound.md, for every N:
   a weight vector is a list of reals (length N), the simplex Delta is "non-negative entries
   summing to 1", the ordered simplex is "non-increasing" on top of that.
   - cauchy_schwarz_ones:   (sum w)^2 <= N * sum w^2, any list (by induction on the list);
   - neff_range:            on Delta, 1/N <= q <= 1 with q = sum w^2, i.e. 1 <= N_eff <= N;
   - q_min_only_uniform:    on Delta, q = 1/N only when every entry is 1/N;
   - top_k_average:         a non-increasing list: N * (sum of the first k) >= k * (sum of all);
   - trivial_bound:         on the ordered simplex, phi_k = sum of the first k >= k/N;
   - sumsq_le_sum_sq:       sum a^2 <= (sum a)^2 for non-negative a (../../6-loss-chain.md). *)
From Coq Require Import Reals Lra Lia List Psatz.
Import ListNotations.
Open Scope R_scope.

Fixpoint sum (l : list R) : R := match l with [] => 0 | x :: t => x + sum t end.
Fixpoint sumsq (l : list R) : R := match l with [] => 0 | x :: t => x * x + sumsq t end.
Definition len (l : list R) : R := INR (length l).

(* Every entry of l is at most x / at least x / non-negative. *)
Definition all_le (l : list R) (x : R) := Forall (fun y => y <= x) l.
Definition all_ge (l : list R) (x : R) := Forall (fun y => x <= y) l.
Definition nonneg (l : list R) := Forall (fun y => 0 <= y) l.

(* Non-increasing: each entry is at least every later one. *)
Fixpoint noninc (l : list R) : Prop :=
  match l with [] => True | x :: t => all_le t x /\ noninc t end.

Definition simplex (w : list R) := nonneg w /\ sum w = 1.
Definition ordered_simplex (w : list R) := simplex w /\ noninc w.

Lemma len_cons x t : len (x :: t) = len t + 1.
Proof. unfold len; simpl length; rewrite S_INR; ring. Qed.

Lemma len_nonneg l : 0 <= len l.
Proof. apply pos_INR. Qed.

Lemma sum_app a b : sum (a ++ b) = sum a + sum b.
Proof. induction a; simpl; lra. Qed.

Lemma sumsq_app a b : sumsq (a ++ b) = sumsq a + sumsq b.
Proof. induction a; simpl; lra. Qed.

Lemma sum_nonneg l : nonneg l -> 0 <= sum l.
Proof. induction 1; simpl; lra. Qed.

Lemma sumsq_nonneg l : 0 <= sumsq l.
Proof. induction l; simpl; nra. Qed.

Lemma sum_le_len_max l x : all_le l x -> sum l <= len l * x.
Proof. induction 1; rewrite ?len_cons; simpl; unfold len in *; simpl; nra. Qed.

Lemma sum_ge_len_min l x : all_ge l x -> len l * x <= sum l.
Proof. induction 1; rewrite ?len_cons; simpl; unfold len in *; simpl; nra. Qed.

Lemma nonneg_skipn l j : nonneg l -> nonneg (skipn j l).
Proof.
  revert l; induction j; intros l H; simpl; auto.
  destruct l; simpl; auto. inversion H; subst. apply IHj; auto.
Qed.

Lemma nonneg_firstn l j : nonneg l -> nonneg (firstn j l).
Proof.
  revert l; induction j; intros l H; simpl; [constructor|].
  destruct l; simpl; [constructor|]. inversion H; subst. constructor; [assumption|].
  apply IHj; assumption.
Qed.

(* ---- Cauchy-Schwarz with the all-ones vector ---------------------------------------- *)

Theorem cauchy_schwarz_ones l : sum l * sum l <= len l * sumsq l.
Proof.
  induction l as [| x t IH]; simpl.
  - unfold len; simpl; lra.
  - rewrite len_cons.
    destruct t as [| y t'].
    + unfold len; simpl; nra.
    + assert (Hn : 0 < len (y :: t')) by (rewrite len_cons; pose proof (len_nonneg t'); lra).
      set (n := len (y :: t')) in *. set (s := sum (y :: t')) in *.
      set (q := sumsq (y :: t')) in *.
      (* n (q + n x^2 - 2 x s) >= (n x - s)^2 >= 0 *)
      assert (Hsq : 0 <= (n * x - s) * (n * x - s)) by apply Rle_0_sqr.
      assert (H : n * (q + n * x * x - 2 * x * s) >= 0) by nra.
      assert (H2 : q + n * x * x - 2 * x * s >= 0).
      { destruct (Rle_or_lt 0 (q + n * x * x - 2 * x * s)) as [|Hlt]; [lra|].
        exfalso; nra. }
      nra.
Qed.

Lemma sumsq_le_sum_sq l : nonneg l -> sumsq l <= sum l * sum l.
Proof.
  induction 1 as [| x t Hx Ht IH]; simpl; [lra|].
  pose proof (sum_nonneg t Ht). nra.
Qed.

Theorem neff_range w :
  simplex w -> (length w >= 1)%nat -> / len w <= sumsq w <= 1.
Proof.
  intros [Hnn Hs] Hlen.
  assert (Hn : 0 < len w) by (unfold len; apply lt_0_INR; lia).
  split.
  - pose proof (cauchy_schwarz_ones w) as C. rewrite Hs in C.
    apply (Rmult_le_reg_l (len w)); [lra|]. rewrite Rinv_r; lra.
  - pose proof (sumsq_le_sum_sq w Hnn). rewrite Hs in H. lra.
Qed.

(* ---- the equality case of Cauchy-Schwarz on Delta: q = 1/N only at the uniform vector -- *)

Fixpoint sum_dev (l : list R) (c : R) : R :=
  match l with [] => 0 | x :: t => (x - c) * (x - c) + sum_dev t c end.

Lemma sum_dev_expand l c : sum_dev l c = sumsq l - 2 * c * sum l + len l * c * c.
Proof. induction l; simpl sum_dev; simpl sumsq; simpl sum; rewrite ?len_cons; [unfold len; simpl; ring|].
  rewrite IHl; ring. Qed.

Lemma sum_dev_nonneg l c : 0 <= sum_dev l c.
Proof. induction l; simpl; [lra|]. pose proof (Rle_0_sqr (a - c)). unfold Rsqr in *. lra. Qed.

Lemma sum_dev_zero l c : sum_dev l c = 0 -> Forall (fun x => x = c) l.
Proof.
  induction l as [| x t IH]; simpl; intros H; constructor.
  - pose proof (sum_dev_nonneg t c). pose proof (Rle_0_sqr (x - c)). unfold Rsqr in *.
    assert ((x - c) * (x - c) = 0) by lra.
    apply Rmult_integral in H2. lra.
  - apply IH. pose proof (sum_dev_nonneg t c). pose proof (Rle_0_sqr (x - c)). unfold Rsqr in *.
    lra.
Qed.

Theorem q_min_only_uniform w :
  simplex w -> (length w >= 1)%nat -> sumsq w = / len w -> Forall (fun x => x = / len w) w.
Proof.
  intros [_ Hs] Hlen Hq.
  assert (Hn : 0 < len w) by (unfold len; apply lt_0_INR; lia).
  apply sum_dev_zero. rewrite sum_dev_expand, Hs, Hq.
  field. lra.
Qed.

(* ---- the trivial bound, corrected: phi_k >= k/N on the ordered simplex ------------------ *)

Lemma all_le_skipn l x j : all_le l x -> all_le (skipn j l) x.
Proof.
  revert l; induction j; intros l H; simpl; auto.
  destruct l; simpl; auto. inversion H; subst. apply IHj; auto.
Qed.

Lemma all_le_in l x y : all_le l x -> In y l -> y <= x.
Proof. unfold all_le; rewrite Forall_forall; auto. Qed.

Lemma len_skipn l j : (j <= length l)%nat -> len (skipn j l) = len l - INR j.
Proof. intros H. unfold len. rewrite skipn_length, minus_INR by lia. ring. Qed.

(* For a non-increasing list and 0 <= k <= N: N * sum (firstn k l) >= k * sum l. *)
Theorem top_k_average l k :
  noninc l -> (k <= length l)%nat -> len l * sum (firstn k l) >= INR k * sum l.
Proof.
  revert k; induction l as [| x t IH]; intros k Hd Hk.
  - simpl in Hk. assert (k = 0%nat) by lia. subst. simpl. unfold len; simpl; lra.
  - destruct k as [| k'].
    + simpl. pose proof (len_nonneg (x :: t)). lra.
    + destruct Hd as [Hx Ht]. simpl in Hk.
      assert (Hk' : (k' <= length t)%nat) by lia.
      specialize (IH k' Ht Hk').
      (* the tail beyond the first k' of t has entries <= x *)
      pose proof (sum_le_len_max (skipn k' t) x (all_le_skipn t x k' Hx)) as Hr.
      rewrite len_skipn in Hr by lia.
      pose proof (firstn_skipn k' t) as Hsplit.
      assert (Hsum : sum t = sum (firstn k' t) + sum (skipn k' t)).
      { rewrite <- sum_app, Hsplit. reflexivity. }
      simpl firstn. simpl sum. rewrite len_cons, S_INR.
      set (F := sum (firstn k' t)) in *. set (S := sum t) in *.
      set (R0 := sum (skipn k' t)) in *. set (n := len t) in *.
      nra.
Qed.

Theorem trivial_bound w k :
  ordered_simplex w -> (1 <= length w)%nat -> (k <= length w)%nat ->
  sum (firstn k w) >= INR k / len w.
Proof.
  intros [[_ Hs] Hd] Hn Hk.
  pose proof (top_k_average w k Hd Hk) as H. rewrite Hs in H.
  assert (Hl : 0 < len w) by (unfold len; apply lt_0_INR; lia).
  unfold Rdiv. apply Rle_ge. apply (Rmult_le_reg_l (len w)); [lra|].
  replace (len w * (INR k * / len w)) with (INR k) by (field; lra). lra.
Qed.
