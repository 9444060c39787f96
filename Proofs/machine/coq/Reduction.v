(* Machine check of Step 4 of ../../T-tight-infimum.md (the reduction to the edges of the
   ordered simplex), for every N and k, and of Step 0 (the ordered simplex is the simplex with
   vertices u_1, ..., u_N), as used there and in ../../5-asymptotic-form.md.

   A point of the ordered simplex is written by its barycentric coordinates c_0, ..., c_{N-1}
   (c_m >= 0, sum c_m = 1) on the vertices u_{m+1} = (1/(m+1), ..., 1/(m+1), 0, ..., 0):
   its entries are omega_i = sum_{m >= i} c_m/(m+1), q = sum omega_i^2 = 1/N_eff and
   phi_k = omega_0 + ... + omega_{k-1}.
   - barycentric:      every non-increasing, non-negative w summing to 1 is omega(c) for the
                       c_m = (m+1)(w_m - w_{m+1}) (w_N = 0), with c >= 0 and sum c = 1 (Step 0);
   - phi_vertex:       phi_k(u_{m+1}) = min(k, m+1)/(m+1), non-increasing in m;
   - one_skeleton:     for every c there is a point e = lam u_{a+1} + (1 - lam) u_{b+1} of an
                       edge (or a vertex, a = b or lam in {0, 1}) with phi_k(e) = phi_k(c) and
                       q(e) >= q(c) (Step 4: the convex q is largest on a level set of phi_k at a
                       point of the 1-skeleton);
   - ordered_one_skeleton: the same, stated for w on the ordered simplex;
   - shell_to_edge, attained_to_edge: hence inf of phi_k over {q >= a} is at least its least
                       value over edge points with q >= a, and a point with q > a gives an edge
                       point with q > a (Steps 4 and 7);
   - edge_phi, edge_q: on an edge, phi_k = lam g(a) + (1 - lam) g(b) and
                       q = lam^2 (1/(a+1) - 1/(b+1)) + 1/(b+1) (Step 1, for every N);
   - edge_first_block: for k <= a+1 the first k entries of an edge point are equal (Step 5). *)
From Coq Require Import Reals Lra Lia Psatz Arith List.
Open Scope R_scope.

(* ---- finite sums over 0 .. n-1 --------------------------------------------------------- *)

Fixpoint sumf (n : nat) (f : nat -> R) : R :=
  match n with O => 0 | S p => sumf p f + f p end.

Lemma sumf_ext n f g : (forall i, (i < n)%nat -> f i = g i) -> sumf n f = sumf n g.
Proof.
  induction n; intros H; simpl; [reflexivity|].
  rewrite IHn by (intros i Hi; apply H; lia). rewrite (H n) by lia. reflexivity.
Qed.

Lemma sumf_plus n f g : sumf n (fun i => f i + g i) = sumf n f + sumf n g.
Proof. induction n; simpl; [ring|]. rewrite IHn. ring. Qed.

Lemma sumf_scal n x f : sumf n (fun i => x * f i) = x * sumf n f.
Proof. induction n; simpl; [ring|]. rewrite IHn. ring. Qed.

Lemma sumf_nonneg n f : (forall i, (i < n)%nat -> 0 <= f i) -> 0 <= sumf n f.
Proof.
  induction n; intros H; simpl; [lra|].
  assert (H1 : 0 <= f n) by (apply H; lia).
  assert (H2 : 0 <= sumf n f) by (apply IHn; intros i Hi; apply H; lia).
  lra.
Qed.

Lemma sumf_single n a f : (forall i, (i < n)%nat -> i <> a -> f i = 0) ->
  sumf n f = if (a <? n)%nat then f a else 0.
Proof.
  induction n; intros H; simpl; [reflexivity|].
  rewrite IHn by (intros; apply H; lia).
  destruct (Nat.ltb_spec a n); destruct (Nat.ltb_spec a (S n)); try lia.
  - rewrite (H n) by lia. ring.
  - assert (a = n) by lia. subst. ring.
  - rewrite (H n) by lia. ring.
Qed.

Lemma sumf_swap n p f : sumf n (fun i => sumf p (fun m => f i m)) = sumf p (fun m => sumf n (fun i => f i m)).
Proof.
  induction n; simpl.
  - induction p; simpl; [reflexivity|]. rewrite <- IHp. ring.
  - rewrite IHn. rewrite <- sumf_plus. reflexivity.
Qed.

(* ---- barycentric coordinates: the entries, q, phi_k and the total ---------------------- *)

Definition omega (N : nat) (c : nat -> R) (i : nat) : R :=
  sumf N (fun m => if (i <=? m)%nat then c m / INR (S m) else 0).
Definition q (N : nat) (c : nat -> R) : R := sumf N (fun i => omega N c i * omega N c i).
Definition phi (N k : nat) (c : nat -> R) : R := sumf k (fun i => omega N c i).
Definition total (N : nat) (c : nat -> R) : R := sumf N c.
Definition nonneg_on (N : nat) (c : nat -> R) := forall m, (m < N)%nat -> 0 <= c m.
Definition ind (a : nat) (m : nat) : R := if (m =? a)%nat then 1 else 0.

Lemma INR_S_pos m : 0 < INR (S m).
Proof. apply lt_0_INR. lia. Qed.

Lemma omega_ext N f g i : (forall m, (m < N)%nat -> f m = g m) -> omega N f i = omega N g i.
Proof. intros H. unfold omega. apply sumf_ext. intros m Hm. rewrite H by exact Hm. reflexivity. Qed.

Lemma q_ext N f g : (forall m, (m < N)%nat -> f m = g m) -> q N f = q N g.
Proof. intros H. unfold q. apply sumf_ext. intros i _. rewrite (omega_ext N f g i H). reflexivity. Qed.

Lemma phi_ext N k f g : (forall m, (m < N)%nat -> f m = g m) -> phi N k f = phi N k g.
Proof. intros H. unfold phi. apply sumf_ext. intros i _. apply omega_ext, H. Qed.

Lemma total_ext N f g : (forall m, (m < N)%nat -> f m = g m) -> total N f = total N g.
Proof. intros H. unfold total. apply sumf_ext, H. Qed.

Lemma omega_comb N x f y g i :
  omega N (fun m => x * f m + y * g m) i = x * omega N f i + y * omega N g i.
Proof.
  unfold omega. rewrite <- !sumf_scal, <- sumf_plus. apply sumf_ext. intros m _.
  destruct (i <=? m)%nat; [|ring]. pose proof (INR_S_pos m). field. lra.
Qed.

Lemma phi_comb N k x f y g : phi N k (fun m => x * f m + y * g m) = x * phi N k f + y * phi N k g.
Proof.
  unfold phi. rewrite <- !sumf_scal, <- sumf_plus. apply sumf_ext. intros i _. apply omega_comb.
Qed.

Lemma total_comb N x f y g : total N (fun m => x * f m + y * g m) = x * total N f + y * total N g.
Proof. unfold total. rewrite <- !sumf_scal, <- sumf_plus. reflexivity. Qed.

Lemma total_comb3 N x f y g z h :
  total N (fun m => x * f m + (y * g m + z * h m)) = x * total N f + y * total N g + z * total N h.
Proof.
  rewrite (total_ext N _ (fun m => x * f m + 1 * (fun p => y * g p + z * h p) m)) by (intros; ring).
  rewrite total_comb, total_comb. ring.
Qed.

Lemma phi_comb3 N k x f y g z h :
  phi N k (fun m => x * f m + (y * g m + z * h m)) = x * phi N k f + y * phi N k g + z * phi N k h.
Proof.
  rewrite (phi_ext N k _ (fun m => x * f m + 1 * (fun p => y * g p + z * h p) m)) by (intros; ring).
  rewrite phi_comb, phi_comb. ring.
Qed.

(* q along a line: q(c + t d) = q(c) + 2 t B + t^2 q(d), with q(d) >= 0. *)
Definition bil (N : nat) (c d : nat -> R) : R := sumf N (fun i => omega N c i * omega N d i).

Lemma q_line N c d t : q N (fun m => c m + t * d m) = q N c + 2 * t * bil N c d + t * t * q N d.
Proof.
  unfold q, bil.
  rewrite (sumf_ext N _ (fun i => omega N c i * omega N c i + ((2 * t) * (omega N c i * omega N d i)
                                     + (t * t) * (omega N d i * omega N d i)))).
  - rewrite !sumf_plus, !sumf_scal. ring.
  - intros i _.
    rewrite (omega_ext N (fun m => c m + t * d m) (fun m => 1 * c m + t * d m) i) by (intros; ring).
    rewrite omega_comb. ring.
Qed.

Lemma q_nonneg N c : 0 <= q N c.
Proof. unfold q. apply sumf_nonneg. intros. apply Rle_0_sqr. Qed.

(* ---- the vertices: omega(u_{a+1}), the total and phi_k there --------------------------- *)

Lemma total_ind N a : (a < N)%nat -> total N (ind a) = 1.
Proof.
  intros H. unfold total. rewrite (sumf_single N a).
  - destruct (Nat.ltb_spec a N); [|lia]. unfold ind. rewrite Nat.eqb_refl. reflexivity.
  - intros i _ Hi. unfold ind. destruct (Nat.eqb_spec i a); [lia | reflexivity].
Qed.

Lemma omega_ind N a i : (a < N)%nat -> omega N (ind a) i = if (i <=? a)%nat then / INR (S a) else 0.
Proof.
  intros H. unfold omega. rewrite (sumf_single N a).
  - destruct (Nat.ltb_spec a N); [|lia]. unfold ind. rewrite Nat.eqb_refl.
    destruct (i <=? a)%nat; [field; pose proof (INR_S_pos a); lra | reflexivity].
  - intros m _ Hm. unfold ind. destruct (Nat.eqb_spec m a); [lia|].
    destruct (i <=? m)%nat; [unfold Rdiv; ring | reflexivity].
Qed.

Lemma count_le k a x :
  sumf k (fun i => if (i <=? a)%nat then x else 0) = INR (Nat.min k (S a)) * x.
Proof.
  induction k; simpl sumf; [simpl; ring|].
  rewrite IHk. destruct (Nat.leb_spec k a).
  - replace (Nat.min (S k) (S a)) with (S (Nat.min k (S a))) by lia.
    rewrite S_INR. ring.
  - replace (Nat.min (S k) (S a)) with (Nat.min k (S a)) by lia. ring.
Qed.

Definition gk (k a : nat) : R := INR (Nat.min k (S a)) / INR (S a).

Lemma phi_vertex N k a : (a < N)%nat -> phi N k (ind a) = gk k a.
Proof.
  intros H. unfold phi. rewrite (sumf_ext k _ (fun i => if (i <=? a)%nat then / INR (S a) else 0)).
  - rewrite count_le. unfold gk. unfold Rdiv. ring.
  - intros i _. apply omega_ind, H.
Qed.

Lemma gk_noninc k a b : (a <= b)%nat -> gk k b <= gk k a.
Proof.
  intros Hab. unfold gk. pose proof (INR_S_pos a). pose proof (INR_S_pos b).
  destruct (Nat.le_gt_cases k (S a)) as [Hk | Hk].
  - rewrite !Nat.min_l by lia.
    apply Rmult_le_compat_l; [apply pos_INR|]. apply Rinv_le_contravar; [lra|]. apply le_INR. lia.
  - rewrite (Nat.min_r k (S a)) by lia. replace (INR (S a) / INR (S a)) with 1 by (field; lra).
    apply (Rmult_le_reg_r (INR (S b))); [lra|]. unfold Rdiv. rewrite Rmult_assoc, Rinv_l by lra.
    rewrite Rmult_1_r, Rmult_1_l. apply le_INR. lia.
Qed.

(* ---- the number of nonzero coordinates ---------------------------------------------------- *)

Fixpoint cnt (N : nat) (c : nat -> R) : nat :=
  match N with O => O | S p => (cnt p c + if Req_EM_T (c p) 0 then 0 else 1)%nat end.

Lemma cnt_pick N c n : (S n <= cnt N c)%nat -> exists l, (l < N)%nat /\ c l <> 0 /\ (n <= cnt l c)%nat.
Proof.
  induction N; simpl; intros H; [lia|].
  destruct (Req_EM_T (c N) 0) as [Hz | Hnz].
  - destruct (IHN ltac:(lia)) as [l [Hl [Hc Hn]]]. exists l. repeat split; auto; lia.
  - exists N. repeat split; auto; lia.
Qed.

Lemma cnt_three N c : (3 <= cnt N c)%nat ->
  exists i j l, (i < j)%nat /\ (j < l)%nat /\ (l < N)%nat /\ c i <> 0 /\ c j <> 0 /\ c l <> 0.
Proof.
  intros H. destruct (cnt_pick N c 2 H) as [l [Hl [Hcl H2]]].
  destruct (cnt_pick l c 1 H2) as [j [Hj [Hcj H1]]].
  destruct (cnt_pick j c 0 H1) as [i [Hi [Hci _]]].
  exists i, j, l. repeat split; auto.
Qed.

Lemma cnt_le N c c' : (forall m, (m < N)%nat -> c' m <> 0 -> c m <> 0) -> (cnt N c' <= cnt N c)%nat.
Proof.
  induction N; intros H; simpl; [lia|].
  specialize (IHN ltac:(intros m Hm Hc; apply (H m); [lia | exact Hc])).
  destruct (Req_EM_T (c' N) 0); destruct (Req_EM_T (c N) 0); try lia.
  exfalso. apply (H N); auto.
Qed.

Lemma cnt_lt N c c' : (forall m, (m < N)%nat -> c' m <> 0 -> c m <> 0) ->
  (exists r, (r < N)%nat /\ c' r = 0 /\ c r <> 0) -> (cnt N c' < cnt N c)%nat.
Proof.
  induction N; intros H [r [Hr [H1 H2]]]; [lia|]. simpl.
  destruct (Nat.eq_dec r N) as [-> | Hne].
  - pose proof (cnt_le N c c' ltac:(intros m Hm Hc; apply (H m); [lia | exact Hc])).
    destruct (Req_EM_T (c' N) 0); destruct (Req_EM_T (c N) 0); try contradiction; lia.
  - assert (IH : (cnt N c' < cnt N c)%nat).
    { apply IHN; [intros m Hm Hc; apply (H m); [lia | exact Hc] | exists r; repeat split; auto; lia]. }
    destruct (Req_EM_T (c' N) 0); destruct (Req_EM_T (c N) 0); try lia.
    exfalso. apply (H N); auto.
Qed.

Lemma cnt_support N c n : (cnt N c <= n)%nat ->
  exists S : list nat, (length S <= n)%nat /\ Forall (fun a => (a < N)%nat) S /\
    forall m, (m < N)%nat -> ~ In m S -> c m = 0.
Proof.
  revert n. induction N; intros n H.
  - exists nil. split; [simpl; lia | split; [constructor | intros; lia]].
  - simpl in H. destruct (Req_EM_T (c N) 0) as [Hz | Hnz].
    + destruct (IHN n ltac:(lia)) as [S [HS [HF Hc]]]. exists S. split; [auto|split].
      * eapply Forall_impl; [|exact HF]. intros a Ha; simpl in Ha; lia.
      * intros m Hm Hin. destruct (Nat.eq_dec m N) as [-> | Hne]; auto. apply Hc; auto; lia.
    + destruct n as [| n']; [lia|].
      destruct (IHN n' ltac:(lia)) as [S [HS [HF Hc]]]. exists (N :: S). split; [simpl; lia|split].
      * constructor; [lia|]. eapply Forall_impl; [|exact HF]. intros a Ha; simpl in Ha; lia.
      * intros m Hm Hin. apply Hc; [|intro; apply Hin; right; auto].
        destruct (Nat.eq_dec m N) as [-> | Hne]; [exfalso; apply Hin; left; auto | lia].
Qed.

(* ---- convexity along a line: the middle is below one of the ends ----------------------- *)

Lemma convex_end A B C tm tp :
  0 <= C -> tm < 0 -> 0 < tp ->
  A <= A + 2 * B * tm + C * tm * tm \/ A <= A + 2 * B * tp + C * tp * tp.
Proof.
  intros HC Hm Hp.
  destruct (Rle_or_lt A (A + 2 * B * tm + C * tm * tm)) as [H | H1]; [left; exact H|].
  right. destruct (Rle_or_lt A (A + 2 * B * tp + C * tp * tp)) as [H | H2]; [exact H|].
  exfalso.
  (* tp (h(tm) - A) - tm (h(tp) - A) = C tm tp (tm - tp) >= 0, but the left side is < 0 *)
  assert (E : tp * (2 * B * tm + C * tm * tm) - tm * (2 * B * tp + C * tp * tp) = C * (tm * tp) * (tm - tp)) by ring.
  assert (P : 0 <= C * (tm * tp) * (tm - tp)).
  { assert (0 <= (tm * tp) * (tm - tp)) by nra. nra. }
  assert (H3 : tp * (2 * B * tm + C * tm * tm) < 0).
  { rewrite <- (Rmult_0_r tp). apply Rmult_lt_compat_l; lra. }
  assert (H4 : (- tm) * (2 * B * tp + C * tp * tp) < 0).
  { rewrite <- (Rmult_0_r (- tm)). apply Rmult_lt_compat_l; lra. }
  lra.
Qed.

(* ---- one step: three nonzero coordinates, and a move that keeps the total and phi_k -------- *)

Lemma ind_eq a m : ind a m = if (m =? a)%nat then 1 else 0.
Proof. reflexivity. Qed.

Lemma coeffs gi gj gl : gl <= gj -> gj <= gi ->
  exists al be ga, al <= 0 /\ 0 < be /\ ga <= 0 /\ al + be + ga = 0 /\ al * gi + be * gj + ga * gl = 0.
Proof.
  intros H1 H2. destruct (Req_EM_T gi gl) as [He | Hne].
  - exists (-1), 1, 0. repeat split; lra.
  - exists (gl - gj), (gi - gl), (gj - gi). repeat split; lra.
Qed.

Lemma positive_step ci cl al ga : 0 < ci -> 0 < cl -> al <= 0 -> ga <= 0 -> al + ga < 0 ->
  exists tp, 0 < tp /\ 0 <= ci + tp * al /\ 0 <= cl + tp * ga /\ (ci + tp * al = 0 \/ cl + tp * ga = 0).
Proof.
  intros Hi Hl Ha Hg Hs.
  destruct (Req_EM_T al 0) as [Ha0 | Ha0].
  - exists (cl / - ga). subst al.
    assert (Hg0 : ga < 0) by lra.
    repeat split.
    + apply Rdiv_lt_0_compat; lra.
    + lra.
    + right; field; lra.
    + right; field; lra.
  - destruct (Req_EM_T ga 0) as [Hg0 | Hg0].
    + exists (ci / - al). subst ga. assert (Hal : al < 0) by lra.
      repeat split.
      * apply Rdiv_lt_0_compat; lra.
      * right; field; lra.
      * lra.
      * left; field; lra.
    + assert (Hal : al < 0) by lra. assert (Hga : ga < 0) by lra.
      destruct (Rle_dec (ci / - al) (cl / - ga)) as [Hle | Hgt].
      * exists (ci / - al). repeat split.
        -- apply Rdiv_lt_0_compat; lra.
        -- right; field; lra.
        -- apply (Rmult_le_compat_r (- ga)) in Hle; [|lra].
           replace (cl / - ga * - ga) with cl in Hle by (field; lra). nra.
        -- left; field; lra.
      * exists (cl / - ga). assert (Hlt : cl / - ga < ci / - al) by lra. repeat split.
        -- apply Rdiv_lt_0_compat; lra.
        -- apply (Rmult_lt_compat_r (- al)) in Hlt; [|lra].
           replace (ci / - al * - al) with ci in Hlt by (field; lra). nra.
        -- right; field; lra.
        -- right; field; lra.
Qed.

Section Step.
Variables (N k : nat) (c : nat -> R) (i j l : nat).
Hypotheses (Hij : (i < j)%nat) (Hjl : (j < l)%nat) (HlN : (l < N)%nat) (Hc : nonneg_on N c)
  (Hci : c i <> 0) (Hcj : c j <> 0) (Hcl : c l <> 0).

Lemma step : exists c1, nonneg_on N c1 /\ (cnt N c1 < cnt N c)%nat /\ total N c1 = total N c /\
  phi N k c1 = phi N k c /\ q N c <= q N c1.
Proof.
  assert (Pi : 0 < c i) by (pose proof (Hc i ltac:(lia)); lra).
  assert (Pj : 0 < c j) by (pose proof (Hc j ltac:(lia)); lra).
  assert (Pl : 0 < c l) by (pose proof (Hc l ltac:(lia)); lra).
  destruct (coeffs (gk k i) (gk k j) (gk k l) (gk_noninc k j l ltac:(lia)) (gk_noninc k i j ltac:(lia)))
    as [al [be [ga [Hal [Hbe [Hga [Hsum Hphi]]]]]]].
  set (d := fun m => al * ind i m + (be * ind j m + ga * ind l m)).
  assert (Ddi : d i = al).
  { unfold d, ind. rewrite Nat.eqb_refl. destruct (Nat.eqb_spec i j); [lia|].
    destruct (Nat.eqb_spec i l); [lia|]. ring. }
  assert (Ddj : d j = be).
  { unfold d, ind. rewrite Nat.eqb_refl. destruct (Nat.eqb_spec j i); [lia|].
    destruct (Nat.eqb_spec j l); [lia|]. ring. }
  assert (Ddl : d l = ga).
  { unfold d, ind. rewrite Nat.eqb_refl. destruct (Nat.eqb_spec l i); [lia|].
    destruct (Nat.eqb_spec l j); [lia|]. ring. }
  assert (Dd0 : forall m, m <> i -> m <> j -> m <> l -> d m = 0).
  { intros m H1 H2 H3. unfold d, ind.
    destruct (Nat.eqb_spec m i); [lia|]. destruct (Nat.eqb_spec m j); [lia|].
    destruct (Nat.eqb_spec m l); [lia|]. ring. }
  assert (Td : total N d = 0).
  { unfold d. rewrite total_comb3, !total_ind by lia. lra. }
  assert (Fd : phi N k d = 0).
  { unfold d. rewrite phi_comb3, !phi_vertex by lia. lra. }
  set (ct := fun t m => c m + t * d m).
  assert (Tt : forall t, total N (ct t) = total N c).
  { intros t. unfold ct.
    rewrite (total_ext N _ (fun m => 1 * c m + t * d m)) by (intros; ring).
    rewrite total_comb, Td. ring. }
  assert (Ft : forall t, phi N k (ct t) = phi N k c).
  { intros t. unfold ct.
    rewrite (phi_ext N k _ (fun m => 1 * c m + t * d m)) by (intros; ring).
    rewrite phi_comb, Fd. ring. }
  (* an end of the move: non-negative at i, j, l and zero at one of them *)
  assert (End : forall t, 0 <= ct t i -> 0 <= ct t j -> 0 <= ct t l ->
            (ct t i = 0 \/ ct t j = 0 \/ ct t l = 0) ->
            nonneg_on N (ct t) /\ (cnt N (ct t) < cnt N c)%nat).
  { intros t H1 H2 H3 Hz. split.
    - intros m Hm. destruct (Nat.eq_dec m i) as [-> | Ni]; [exact H1|].
      destruct (Nat.eq_dec m j) as [-> | Nj]; [exact H2|].
      destruct (Nat.eq_dec m l) as [-> | Nl]; [exact H3|].
      unfold ct. rewrite Dd0 by assumption. pose proof (Hc m Hm). lra.
    - apply cnt_lt.
      + intros m Hm Hnz. destruct (Nat.eq_dec m i) as [-> | Ni]; [exact Hci|].
        destruct (Nat.eq_dec m j) as [-> | Nj]; [exact Hcj|].
        destruct (Nat.eq_dec m l) as [-> | Nl]; [exact Hcl|].
        unfold ct in Hnz. rewrite Dd0 in Hnz by assumption. intro Hz0. apply Hnz. rewrite Hz0. ring.
      + destruct Hz as [Hz | [Hz | Hz]]; [exists i | exists j | exists l]; repeat split; auto; lia. }
  (* the negative end: coordinate j reaches 0 *)
  set (tm := - (c j / be)).
  assert (Htm : tm < 0) by (unfold tm; assert (0 < c j / be) by (apply Rdiv_lt_0_compat; lra); lra).
  assert (Em : nonneg_on N (ct tm) /\ (cnt N (ct tm) < cnt N c)%nat).
  { apply End; unfold ct; rewrite ?Ddi, ?Ddj, ?Ddl.
    - assert (0 <= tm * al) by nra. lra.
    - unfold tm. right. field. lra.
    - assert (0 <= tm * ga) by nra. lra.
    - right; left. unfold tm. field. lra. }
  (* the positive end: coordinate i or l reaches 0 *)
  destruct (positive_step (c i) (c l) al ga Pi Pl Hal Hga ltac:(lra)) as [tp [Htp [Hpi [Hpl Hpz]]]].
  assert (Ep : nonneg_on N (ct tp) /\ (cnt N (ct tp) < cnt N c)%nat).
  { apply End; unfold ct; rewrite ?Ddi, ?Ddj, ?Ddl; try assumption.
    - assert (0 <= tp * be) by nra. lra.
    - destruct Hpz as [Hz | Hz]; [left | right; right]; exact Hz. }
  (* q along the move is a convex quadratic: one end has q >= q(c) *)
  assert (Qt : forall t, q N (ct t) = q N c + 2 * bil N c d * t + q N d * t * t).
  { intros t. unfold ct. rewrite q_line. ring. }
  destruct (convex_end (q N c) (bil N c d) (q N d) tm tp (q_nonneg N d) Htm Htp) as [Qm | Qp].
  - exists (ct tm). destruct Em as [Em1 Em2]. repeat split; auto. rewrite Qt. exact Qm.
  - exists (ct tp). destruct Ep as [Ep1 Ep2]. repeat split; auto. rewrite Qt. exact Qp.
Qed.

End Step.

(* ---- the reduction: a point of the 1-skeleton with the same phi_k and at least the same q ---- *)

Lemma reduce_to_two N k : forall s c, nonneg_on N c -> (cnt N c <= s)%nat ->
  exists c', nonneg_on N c' /\ (cnt N c' <= 2)%nat /\ total N c' = total N c /\
    phi N k c' = phi N k c /\ q N c <= q N c'.
Proof.
  induction s as [| s IH]; intros c Hc Hs.
  - exists c. repeat split; auto; try lia; lra.
  - destruct (le_lt_dec (cnt N c) 2) as [H2 | H3].
    + exists c. repeat split; auto; lra.
    + destruct (cnt_three N c ltac:(lia)) as [i [j [l [Hij [Hjl [HlN [Hi [Hj Hl]]]]]]]].
      destruct (step N k c i j l Hij Hjl HlN Hc Hi Hj Hl) as [c1 [Hc1 [Hcnt [Ht [Hf Hq]]]]].
      destruct (IH c1 Hc1 ltac:(lia)) as [c' [Hc' [H2 [Ht' [Hf' Hq']]]]].
      exists c'. repeat split; auto; try congruence. lra.
Qed.

(* The entries of lam u_{a+1} + (1 - lam) u_{b+1}. *)
Lemma omega_edge N a b lam i : (a < N)%nat -> (b < N)%nat ->
  omega N (fun m => lam * ind a m + (1 - lam) * ind b m) i =
  lam * (if (i <=? a)%nat then / INR (S a) else 0) + (1 - lam) * (if (i <=? b)%nat then / INR (S b) else 0).
Proof. intros Ha Hb. rewrite omega_comb, !omega_ind by assumption. reflexivity. Qed.

Lemma total_zero N : total N (fun _ => 0) = 0.
Proof. unfold total. induction N; simpl; [reflexivity|]. rewrite IHN. ring. Qed.

Theorem one_skeleton N k c : nonneg_on N c -> total N c = 1 ->
  exists a b lam, (a < N)%nat /\ (b < N)%nat /\ 0 <= lam <= 1 /\
    phi N k (fun m => lam * ind a m + (1 - lam) * ind b m) = phi N k c /\
    q N c <= q N (fun m => lam * ind a m + (1 - lam) * ind b m).
Proof.
  intros Hc Ht.
  destruct (reduce_to_two N k (cnt N c) c Hc ltac:(lia)) as [c' [Hc' [H2 [Ht' [Hf Hq]]]]].
  destruct (cnt_support N c' 2 H2) as [S [HS [HF Hz]]].
  rewrite Ht in Ht'.
  (* it is enough that c' is lam u_{a+1} + (1 - lam) u_{b+1} on 0 .. N-1 *)
  assert (Fin : forall a b lam, (a < N)%nat -> (b < N)%nat -> 0 <= lam <= 1 ->
            (forall m, (m < N)%nat -> c' m = lam * ind a m + (1 - lam) * ind b m) ->
            exists a b lam, (a < N)%nat /\ (b < N)%nat /\ 0 <= lam <= 1 /\
              phi N k (fun m => lam * ind a m + (1 - lam) * ind b m) = phi N k c /\
              q N c <= q N (fun m => lam * ind a m + (1 - lam) * ind b m)).
  { intros a b lam Ha Hb Hl He. exists a, b, lam. repeat split; try lra; auto.
    - rewrite <- Hf. symmetry. apply phi_ext. exact He.
    - rewrite <- (q_ext N c' _ He). exact Hq. }
  destruct S as [| a [| b [| x S']]]; simpl in HS; try lia.
  - (* no coordinate left: the total would be 0 *)
    exfalso. assert (total N c' = 0).
    { rewrite (total_ext N c' (fun _ => 0)) by (intros m Hm; apply Hz; auto). apply total_zero. }
    lra.
  - (* one coordinate a: c' = u_{a+1} *)
    inversion HF as [| ? ? Ha _]; subst.
    assert (Hca : c' a = 1).
    { rewrite <- Ht'. unfold total. rewrite (sumf_single N a).
      - destruct (Nat.ltb_spec a N); [reflexivity | lia].
      - intros m Hm Hne. apply Hz; auto. simpl. intros [H | H]; [lia | exact H]. }
    apply (Fin a a 1); auto; try lra.
    intros m Hm. unfold ind. destruct (Nat.eqb_spec m a) as [-> | Hne].
    + rewrite Hca. ring.
    + rewrite Hz; [ring | exact Hm | simpl; intros [H | H]; [lia | exact H]].
  - (* two coordinates a, b *)
    inversion HF as [| ? ? Ha HF']; subst. inversion HF' as [| ? ? Hb _]; subst.
    destruct (Nat.eq_dec a b) as [<- | Hab].
    + assert (Hca : c' a = 1).
      { rewrite <- Ht'. unfold total. rewrite (sumf_single N a).
        - destruct (Nat.ltb_spec a N); [reflexivity | lia].
        - intros m Hm Hne. apply Hz; auto. simpl. intros [H | [H | H]]; [lia | lia | exact H]. }
      apply (Fin a a 1); auto; try lra.
      intros m Hm. unfold ind. destruct (Nat.eqb_spec m a) as [-> | Hne].
      * rewrite Hca. ring.
      * rewrite Hz; [ring | exact Hm | simpl; intros [H | [H | H]]; [lia | lia | exact H]].
    + assert (He : forall m, (m < N)%nat -> c' m = c' a * ind a m + c' b * ind b m).
      { intros m Hm. unfold ind.
        destruct (Nat.eqb_spec m a) as [Hma | Hna]; destruct (Nat.eqb_spec m b) as [Hmb | Hnb].
        - lia.
        - subst m. ring.
        - subst m. ring.
        - rewrite Hz; [ring | exact Hm | simpl; intros [H | [H | H]]; [lia | lia | exact H]]. }
      assert (Hsum : c' a + c' b = 1).
      { rewrite <- Ht'. rewrite (total_ext N c' _ He), total_comb, !total_ind by assumption. ring. }
      pose proof (Hc' a Ha). pose proof (Hc' b Hb).
      apply (Fin a b (c' a)); auto; try lra.
      intros m Hm. rewrite (He m Hm). replace (c' b) with (1 - c' a) by lra. reflexivity.
Qed.

(* ---- Step 0: the ordered simplex in barycentric coordinates ------------------------------- *)

Definition wz (N : nat) (w : nat -> R) (m : nat) : R := if (m <? N)%nat then w m else 0.
Definition coords (N : nat) (w : nat -> R) (m : nat) : R := INR (S m) * (wz N w m - wz N w (S m)).

Lemma telescope f n i : (i <= n)%nat ->
  sumf n (fun m => if (i <=? m)%nat then f m - f (S m) else 0) = f i - f n.
Proof.
  induction n; intros H; simpl.
  - assert (i = 0%nat) by lia. subst. ring.
  - destruct (Nat.eq_dec i (S n)) as [-> | Hne].
    + rewrite (sumf_ext n _ (fun _ => 0)).
      * destruct (Nat.leb_spec (S n) n); [lia|]. clear. induction n; simpl; [ring|]. rewrite IHn. ring.
      * intros m Hm. destruct (Nat.leb_spec (S n) m); [lia | reflexivity].
    + rewrite IHn by lia. destruct (Nat.leb_spec i n); [ring | lia].
Qed.

Lemma sumf_S n f : sumf (S n) f = sumf n f + f n.
Proof. reflexivity. Qed.

Lemma abel f n : sumf n (fun m => INR (S m) * (f m - f (S m))) = sumf n f - INR n * f n.
Proof.
  induction n; [simpl; ring|].
  rewrite sumf_S, IHn, sumf_S. rewrite (S_INR n). ring.
Qed.

Theorem barycentric N w :
  (forall a b, (a <= b)%nat -> (b < N)%nat -> w b <= w a) -> (forall a, (a < N)%nat -> 0 <= w a) ->
  sumf N w = 1 ->
  nonneg_on N (coords N w) /\ total N (coords N w) = 1 /\
  forall i, (i < N)%nat -> omega N (coords N w) i = w i.
Proof.
  intros Hd Hn Hs. split; [|split].
  - intros m Hm. unfold coords, wz. apply Rmult_le_pos; [apply pos_INR|].
    destruct (Nat.ltb_spec m N); [|lia]. destruct (Nat.ltb_spec (S m) N).
    + pose proof (Hd m (S m) ltac:(lia) ltac:(lia)). lra.
    + pose proof (Hn m Hm). lra.
  - unfold total, coords. rewrite (abel (wz N w) N).
    assert (HwN : wz N w N = 0) by (unfold wz; destruct (Nat.ltb_spec N N); [lia | reflexivity]).
    rewrite HwN, Rmult_0_r, Rminus_0_r. rewrite <- Hs. apply sumf_ext. intros m Hm.
    unfold wz. destruct (Nat.ltb_spec m N); [reflexivity | lia].
  - intros i Hi. unfold omega, coords.
    rewrite (sumf_ext N _ (fun m => if (i <=? m)%nat then wz N w m - wz N w (S m) else 0)).
    + rewrite telescope by lia. unfold wz.
      destruct (Nat.ltb_spec i N); [|lia]. destruct (Nat.ltb_spec N N); [lia|]. ring.
    + intros m _. destruct (i <=? m)%nat; [|reflexivity]. pose proof (INR_S_pos m). field. lra.
Qed.

(* Step 4 for a point w of the ordered simplex (entries w_0 >= ... >= w_{N-1} >= 0, sum 1):
   some point e = lam u_{a+1} + (1 - lam) u_{b+1} has phi_k(e) = w_0 + ... + w_{k-1} and
   q(e) >= sum w_i^2. *)
Theorem ordered_one_skeleton N k w :
  (k <= N)%nat ->
  (forall a b, (a <= b)%nat -> (b < N)%nat -> w b <= w a) -> (forall a, (a < N)%nat -> 0 <= w a) ->
  sumf N w = 1 ->
  exists a b lam, (a < N)%nat /\ (b < N)%nat /\ 0 <= lam <= 1 /\
    phi N k (fun m => lam * ind a m + (1 - lam) * ind b m) = sumf k w /\
    sumf N (fun i => w i * w i) <= q N (fun m => lam * ind a m + (1 - lam) * ind b m).
Proof.
  intros Hk Hd Hn Hs.
  destruct (barycentric N w Hd Hn Hs) as [Hc [Ht Ho]].
  destruct (one_skeleton N k (coords N w) Hc Ht) as [a [b [lam [Ha [Hb [Hl [Hf Hq]]]]]]].
  exists a, b, lam. repeat split; auto; try lra.
  - rewrite Hf. unfold phi. apply sumf_ext. intros i Hi. apply Ho. lia.
  - replace (sumf N (fun i => w i * w i)) with (q N (coords N w)); [exact Hq|].
    unfold q. apply sumf_ext. intros i Hi. rewrite Ho by exact Hi. reflexivity.
Qed.

(* ---- the consequences used by T-tight-infimum.md ------------------------------------------ *)

(* Step 4, as used: every point of Delta-down with q >= a (in particular every point of the
   shell, a = 1/(nu+1)) has an edge point with the same phi_k and q >= a; so the infimum of
   phi_k over the shell is at least its least value over the edge points with q >= a. And a
   point with q > a (an attaining point, Step 7) gives an edge point with q > a. *)
Corollary shell_to_edge N k c a0 : nonneg_on N c -> total N c = 1 -> a0 <= q N c ->
  exists a b lam, (a < N)%nat /\ (b < N)%nat /\ 0 <= lam <= 1 /\
    phi N k (fun m => lam * ind a m + (1 - lam) * ind b m) = phi N k c /\
    a0 <= q N (fun m => lam * ind a m + (1 - lam) * ind b m).
Proof.
  intros Hc Ht Ha. destruct (one_skeleton N k c Hc Ht) as [a [b [lam [H1 [H2 [H3 [H4 H5]]]]]]].
  exists a, b, lam. repeat split; auto; lra.
Qed.

Corollary attained_to_edge N k c a0 : nonneg_on N c -> total N c = 1 -> a0 < q N c ->
  exists a b lam, (a < N)%nat /\ (b < N)%nat /\ 0 <= lam <= 1 /\
    phi N k (fun m => lam * ind a m + (1 - lam) * ind b m) = phi N k c /\
    a0 < q N (fun m => lam * ind a m + (1 - lam) * ind b m).
Proof.
  intros Hc Ht Ha. destruct (one_skeleton N k c Hc Ht) as [a [b [lam [H1 [H2 [H3 [H4 H5]]]]]]].
  exists a, b, lam. repeat split; auto; lra.
Qed.

(* Step 1's vector formulas, for every N: on the edge lam u_{a+1} + (1 - lam) u_{b+1}, a <= b,
   phi_k = lam g(a) + (1 - lam) g(b) with g(m) = min(k, m+1)/(m+1), and
   q = lam^2 (1/(a+1) - 1/(b+1)) + 1/(b+1). *)
Lemma edge_phi N k a b lam : (a < N)%nat -> (b < N)%nat ->
  phi N k (fun m => lam * ind a m + (1 - lam) * ind b m) = lam * gk k a + (1 - lam) * gk k b.
Proof. intros Ha Hb. rewrite phi_comb, !phi_vertex by assumption. reflexivity. Qed.

Lemma count3 n a b X Y Z : (a <= b)%nat ->
  sumf n (fun i => if (i <=? a)%nat then X else if (i <=? b)%nat then Y else Z) =
  INR (Nat.min n (S a)) * X + (INR (Nat.min n (S b)) - INR (Nat.min n (S a))) * Y +
  (INR n - INR (Nat.min n (S b))) * Z.
Proof.
  intros Hab. induction n; [simpl; ring|]. rewrite sumf_S, IHn.
  destruct (Nat.leb_spec n a); [|destruct (Nat.leb_spec n b)].
  - replace (Nat.min (S n) (S a)) with (S n) by lia. replace (Nat.min (S n) (S b)) with (S n) by lia.
    replace (Nat.min n (S a)) with n by lia. replace (Nat.min n (S b)) with n by lia.
    rewrite !S_INR. ring.
  - replace (Nat.min (S n) (S a)) with (S a) by lia. replace (Nat.min (S n) (S b)) with (S n) by lia.
    replace (Nat.min n (S a)) with (S a) by lia. replace (Nat.min n (S b)) with n by lia.
    rewrite !S_INR. ring.
  - replace (Nat.min (S n) (S a)) with (S a) by lia. replace (Nat.min (S n) (S b)) with (S b) by lia.
    replace (Nat.min n (S a)) with (S a) by lia. replace (Nat.min n (S b)) with (S b) by lia.
    rewrite !S_INR. ring.
Qed.

Lemma edge_q N a b lam : (a <= b)%nat -> (b < N)%nat ->
  q N (fun m => lam * ind a m + (1 - lam) * ind b m) =
  lam * lam * (/ INR (S a) - / INR (S b)) + / INR (S b).
Proof.
  intros Hab Hb. unfold q.
  set (X := lam * / INR (S a) + (1 - lam) * / INR (S b)). set (Y := (1 - lam) * / INR (S b)).
  rewrite (sumf_ext N _ (fun i => if (i <=? a)%nat then X * X else if (i <=? b)%nat then Y * Y else 0)).
  - rewrite count3 by exact Hab.
    replace (Nat.min N (S a)) with (S a) by lia. replace (Nat.min N (S b)) with (S b) by lia.
    unfold X, Y. pose proof (INR_S_pos a). pose proof (INR_S_pos b).
    rewrite !S_INR. rewrite !S_INR in H, H0. field. lra.
  - intros i Hi. rewrite omega_edge by lia. unfold X, Y.
    destruct (Nat.leb_spec i a); [destruct (Nat.leb_spec i b); [ring | lia]|].
    destruct (Nat.leb_spec i b); ring.
Qed.

(* Step 5's shape fact: for k <= a+1 <= b+1 (k <= j <= l in the proof's 1-based indices) the
   first k entries of the edge point are equal, so phi_k = k * omega_0. *)
Lemma edge_first_block N k a b lam i : (a <= b)%nat -> (b < N)%nat -> (i < k)%nat -> (k <= S a)%nat ->
  omega N (fun m => lam * ind a m + (1 - lam) * ind b m) i =
  omega N (fun m => lam * ind a m + (1 - lam) * ind b m) 0.
Proof.
  intros Hab Hb Hi Hk. rewrite !omega_edge by lia.
  destruct (Nat.leb_spec i a); [|lia]. destruct (Nat.leb_spec i b); [|lia].
  destruct (Nat.leb_spec 0 a); [|lia]. destruct (Nat.leb_spec 0 b); [|lia]. reflexivity.
Qed.
