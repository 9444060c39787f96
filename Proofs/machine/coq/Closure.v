(* Machine check of Step 3 of ../../T-tight-infimum.md (the closure of the shell), for every N,
   on lists of reals (definitions in Simplex.v). For w on the ordered simplex with
   q(w) = sum w^2 and d = u_1 - w (u_1 = (1, 0, ..., 0)):
   - q_le_head:       q(w) <= w_1;
   - mix_ordered:     w + t d = (1 - t) w + t u_1 stays on the ordered simplex for 0 <= t <= 1;
   - mix_sumsq:       q(w + t d) = q(w) + 2 t (w_1 - q(w)) + t^2 |d|^2;
   - mix_phi:         phi_k(w + t d) = phi_k(w) + t (1 - phi_k(w)) for k >= 1;
   - closure_approx:  if q(w) = a < b <= 1, then for every eps > 0 some w' on the ordered
                      simplex has a < q(w') <= b and phi_k(w) <= phi_k(w') <= phi_k(w) + eps:
                      every point of C = {a <= q <= b} with q = a is a limit of points of the
                      shell {a < q <= b}, with phi_k converging. *)
From Coq Require Import Reals Lra Lia List Psatz.
From EMPProofs Require Import Simplex.
Import ListNotations.
Open Scope R_scope.

Definition mix (t : R) (w : list R) : list R :=
  match w with [] => [] | x :: r => ((1 - t) * x + t) :: map (fun y => (1 - t) * y) r end.

Lemma sum_scale c r : sum (map (fun y => c * y) r) = c * sum r.
Proof. induction r; simpl; [ring|]. rewrite IHr. ring. Qed.

Lemma sumsq_scale c r : sumsq (map (fun y => c * y) r) = c * c * sumsq r.
Proof. induction r; simpl; [ring|]. rewrite IHr. ring. Qed.

Lemma firstn_scale c r j : sum (firstn j (map (fun y => c * y) r)) = c * sum (firstn j r).
Proof. revert r; induction j; intros r; simpl; [ring|]. destruct r; simpl; [ring|]. rewrite IHj. ring. Qed.

Lemma all_le_scale c r x : 0 <= c -> all_le r x -> all_le (map (fun y => c * y) r) (c * x).
Proof. intros Hc H. induction H; simpl; constructor; auto. apply Rmult_le_compat_l; auto. Qed.

Lemma noninc_scale c r : 0 <= c -> noninc r -> noninc (map (fun y => c * y) r).
Proof. intros Hc H. induction r as [| x r IH]; simpl; auto. destruct H. split; auto. apply all_le_scale; auto. Qed.

Lemma all_le_weaken r x x' : x <= x' -> all_le r x -> all_le r x'.
Proof. intros Hx H. induction H; constructor; auto; lra. Qed.

Lemma nonneg_scale c r : 0 <= c -> nonneg r -> nonneg (map (fun y => c * y) r).
Proof. intros Hc H. induction H; simpl; constructor; auto. apply Rmult_le_pos; auto. Qed.

Lemma q_le_head x r : ordered_simplex (x :: r) -> sumsq (x :: r) <= x.
Proof.
  intros [[Hn Hs] [Hx Hr]]. simpl in Hs. simpl sumsq.
  assert (Hsr : sumsq r <= x * sum r).
  { inversion Hn; subst. clear -Hx H2. induction Hx; simpl; [lra|].
    inversion H2; subst. specialize (IHHx H4).
    assert (x0 * x0 <= x * x0) by (apply Rmult_le_compat_r; lra). lra. }
  replace x with (x * (x + sum r)) at 3 by (rewrite Hs; ring). lra.
Qed.

Lemma mix_ordered t w : 0 <= t <= 1 -> ordered_simplex w -> ordered_simplex (mix t w).
Proof.
  intros Ht [[Hn Hs] Hd]. destruct w as [| x r]; [simpl in Hs; lra|].
  destruct Hd as [Hx Hr]. inversion Hn; subst. simpl in Hs. simpl.
  split; [split|split].
  - constructor; [nra|]. apply nonneg_scale; [lra | assumption].
  - simpl sum. rewrite sum_scale. replace (sum r) with (1 - x) by lra. ring.
  - apply (all_le_weaken _ ((1 - t) * x)); [lra|]. apply all_le_scale; [lra | assumption].
  - apply noninc_scale; [lra | assumption].
Qed.

Definition dist2 (w : list R) : R :=
  match w with [] => 0 | x :: r => (1 - x) * (1 - x) + sumsq r end.

Lemma mix_sumsq t x r : sum (x :: r) = 1 ->
  sumsq (mix t (x :: r)) = sumsq (x :: r) + 2 * t * (x - sumsq (x :: r)) + t * t * dist2 (x :: r).
Proof. intros Hs. simpl. rewrite sumsq_scale. ring. Qed.

Lemma mix_phi t x r k : sum (x :: r) = 1 -> (1 <= k)%nat ->
  sum (firstn k (mix t (x :: r))) = sum (firstn k (x :: r)) + t * (1 - sum (firstn k (x :: r))).
Proof.
  intros Hs Hk. destruct k as [| k']; [lia|]. simpl. rewrite firstn_scale. ring.
Qed.

Lemma dist2_pos x r : ordered_simplex (x :: r) -> sumsq (x :: r) < 1 -> 0 < dist2 (x :: r).
Proof.
  intros Hw Hq. simpl. pose proof (sumsq_nonneg r).
  destruct (Req_dec x 1) as [Hx1 | Hx1].
  - (* x = 1: the rest sums to 0 and is non-negative, so is 0, and q = 1 *)
    exfalso. destruct Hw as [[Hn Hs] _]. simpl in Hs, Hq. inversion Hn; subst.
    assert (sum r = 0) by lra.
    assert (sumsq r <= sum r * sum r) by (apply sumsq_le_sum_sq; assumption). nra.
  - assert (0 < Rsqr (1 - x)) by (apply Rsqr_pos_lt; lra). unfold Rsqr in *. lra.
Qed.

Theorem closure_approx w k a b eps :
  ordered_simplex w -> (1 <= k)%nat -> sumsq w = a -> a < b -> b <= 1 -> 0 < eps ->
  exists w', ordered_simplex w' /\ a < sumsq w' <= b /\
    sum (firstn k w) <= sum (firstn k w') <= sum (firstn k w) + eps.
Proof.
  intros Hw Hk Ha Hab Hb He.
  destruct w as [| x r]; [destruct Hw as [[_ Hs] _]; simpl in Hs; lra|].
  assert (Hs : sum (x :: r) = 1) by (destruct Hw as [[_ Hs] _]; exact Hs).
  pose proof (q_le_head x r Hw) as Hhead.
  pose proof (dist2_pos x r Hw ltac:(lra)) as Hd.
  assert (Hx1 : x <= 1).
  { destruct Hw as [[Hn _] _]. inversion Hn; subst. simpl in Hs. pose proof (sum_nonneg r H2). lra. }
  assert (Hd2 : dist2 (x :: r) <= 2).
  { simpl. destruct Hw as [[Hn _] _]. inversion Hn; subst. simpl in Hs.
    pose proof (sumsq_le_sum_sq r H2). pose proof (sum_nonneg r H2). nra. }
  assert (Hphi1 : sum (firstn k (x :: r)) <= 1).
  { destruct k as [| k']; [lia|]. simpl. destruct Hw as [[Hn _] _]. inversion Hn; subst.
    pose proof (firstn_skipn k' r) as Hsp.
    assert (sum r = sum (firstn k' r) + sum (skipn k' r)) by (rewrite <- sum_app, Hsp; reflexivity).
    assert (0 <= sum (skipn k' r)) by (apply sum_nonneg, nonneg_skipn, H2).
    simpl in Hs. lra. }
  assert (Hphi0 : 0 <= sum (firstn k (x :: r))).
  { apply sum_nonneg, nonneg_firstn. destruct Hw as [[Hn _] _]. exact Hn. }
  set (t := Rmin 1 (Rmin eps ((b - a) / 4))).
  assert (Ht0 : 0 < t).
  { unfold t. apply Rmin_pos; [lra|]. apply Rmin_pos; [lra|]. apply Rdiv_lt_0_compat; lra. }
  assert (Ht1 : t <= 1) by apply Rmin_l.
  assert (Hte : t <= eps) by (unfold t; eapply Rle_trans; [apply Rmin_r | apply Rmin_l]).
  assert (Htb : t <= (b - a) / 4) by (unfold t; eapply Rle_trans; [apply Rmin_r | apply Rmin_r]).
  assert (Ha0 : 0 <= a) by (rewrite <- Ha; apply sumsq_nonneg).
  set (phi0 := sum (firstn k (x :: r))) in *.
  exists (mix t (x :: r)). split; [apply mix_ordered; [lra | exact Hw]|]. split; [split|split].
  - rewrite mix_sumsq by exact Hs. rewrite Ha.
    assert (0 <= 2 * t * (x - a)) by (apply Rmult_le_pos; lra).
    assert (0 < t * t * dist2 (x :: r)) by (apply Rmult_lt_0_compat; [apply Rmult_lt_0_compat; lra | exact Hd]).
    lra.
  - rewrite mix_sumsq by exact Hs. rewrite Ha.
    assert (2 * t * (x - a) <= 2 * t * 1) by (apply Rmult_le_compat_l; lra).
    assert (t * t * dist2 (x :: r) <= t * t * 2) by (apply Rmult_le_compat_l; [apply Rmult_le_pos|]; lra).
    assert (t * t <= t * 1) by (apply Rmult_le_compat_l; lra).
    lra.
  - rewrite mix_phi by assumption. fold phi0.
    assert (0 <= t * (1 - phi0)) by (apply Rmult_le_pos; lra). lra.
  - rewrite mix_phi by assumption. fold phi0.
    assert (t * (1 - phi0) <= t * 1) by (apply Rmult_le_compat_l; lra). lra.
Qed.
