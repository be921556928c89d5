;; WebAssembly SIMD (f64x2) kernels of the linear2 step. Assembled by scripts/build-wasm.mjs
;; (wabt) into kernels.wasm.ts; test/core/numeric/wasm.test.ts reassembles and compares bytes.
;;
;; Determinism: every output is the same chain of IEEE-754 multiplies and adds, in the same
;; order, as the scalar reference in ../kernels.ts (no FMA, no reassociation). The lanes of an
;; f64x2 hold two *different outputs* (neighbouring columns), never two partial sums of one
;; output, so vectorising changes which outputs are computed together, not how each is summed:
;; the SIMD and scalar paths give the same bits on any machine.
;;
;; All pointers are byte addresses in the imported memory; strides are in elements (f64).

(module
  (import "env" "mem" (memory 1))

  ;; ---------------------------------------------------------------------------------------
  ;; gemm: C[i, c] (=|+=) f·S[i, c],  S[i, c] = Σ_{j < kend} A[i·ars + j·acs] · B[j·ldb + c]
  ;; for i < m, c < n, summed in order j = 0, 1, … from +0 (the scalar rowDots / dot loop of
  ;; one output). mode 0 stores S (f unused); mode 1 adds f·S to C (C + (f·S), as
  ;; lowerDotsAdd); mode 2 stores the chain (f·IN[i, c] + A[i,0]·B[0,c]) + A[i,1]·B[1,c] + …
  ;; (rowCombine's rows in pairs), IN laid out as C (same strides). tri = 1: B is lower-triangular-transposed (B[j, c] = 0 for j > c), so a
  ;; column block c0..c0+w−1 sums j < min(kk, c0 + w) only; the terms skipped are x·0 = ±0,
  ;; which leave a sum that started at +0 unchanged (such a sum is never −0).
  ;; Blocking: 4 rows × 4 columns (8 f64x2 accumulators; per j: 4 splat loads + 2 loads for
  ;; 8 multiply-adds), then 4×2, 4×1; two remaining rows 2×4; single rows 1×4, 1×2, 1×1.
  ;; ---------------------------------------------------------------------------------------
  (func $mk4x4 (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $ldb i32)
               (param $c i32) (param $ldc i32) (param $kend i32) (param $f f64) (param $mode i32) (param $in i32)
    (local $j i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128) (local $fv v128) (local $o i32)
    (local.set $a1 (i32.add (local.get $a) (local.get $ars)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $ars)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $ars)))
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then
        (local.set $o (i32.add (local.get $c) (local.get $in)))
        (local.set $s00 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (local.get $o))))
        (local.set $s01 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (i32.add (local.get $o) (i32.const 16)))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s10 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (local.get $o))))
        (local.set $s11 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (i32.add (local.get $o) (i32.const 16)))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s20 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (local.get $o))))
        (local.set $s21 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (i32.add (local.get $o) (i32.const 16)))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s30 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (local.get $o))))
        (local.set $s31 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (i32.add (local.get $o) (i32.const 16)))))))
    (if (i32.gt_s (local.get $kend) (i32.const 0))
      (then
        (loop $k
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          (local.set $x (v128.load64_splat (local.get $a)))
          (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat (local.get $a1)))
          (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat (local.get $a2)))
          (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat (local.get $a3)))
          (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $a (i32.add (local.get $a) (local.get $acs)))
          (local.set $a1 (i32.add (local.get $a1) (local.get $acs)))
          (local.set $a2 (i32.add (local.get $a2) (local.get $acs)))
          (local.set $a3 (i32.add (local.get $a3) (local.get $acs)))
          (local.set $b (i32.add (local.get $b) (local.get $ldb)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $k (i32.lt_s (local.get $j) (local.get $kend))))))
    (local.set $fv (f64x2.splat (local.get $f)))
    (if (i32.eq (local.get $mode) (i32.const 1))
      (then
        (local.set $o (local.get $c))
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s00))))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s01))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s10))))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s11))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s20))))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s21))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s30))))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s31)))))
      (else
        (local.set $o (local.get $c))
        (v128.store (local.get $o) (local.get $s00))
        (v128.store offset=16 (local.get $o) (local.get $s01))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (v128.store (local.get $o) (local.get $s10))
        (v128.store offset=16 (local.get $o) (local.get $s11))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (v128.store (local.get $o) (local.get $s20))
        (v128.store offset=16 (local.get $o) (local.get $s21))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (v128.store (local.get $o) (local.get $s30))
        (v128.store offset=16 (local.get $o) (local.get $s31)))))

  ;; 4 rows × 2 columns (one f64x2 per row)
  (func $mk4x2 (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $ldb i32)
               (param $c i32) (param $ldc i32) (param $kend i32) (param $f f64) (param $mode i32) (param $in i32)
    (local $j i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $b0 v128) (local $o i32)
    (local.set $a1 (i32.add (local.get $a) (local.get $ars)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $ars)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $ars)))
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then
        (local.set $o (i32.add (local.get $c) (local.get $in)))
        (local.set $s0 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s1 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s2 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s3 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (local.get $o))))))
    (if (i32.gt_s (local.get $kend) (i32.const 0))
      (then
        (loop $k
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load64_splat (local.get $a)) (local.get $b0))))
          (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load64_splat (local.get $a1)) (local.get $b0))))
          (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load64_splat (local.get $a2)) (local.get $b0))))
          (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load64_splat (local.get $a3)) (local.get $b0))))
          (local.set $a (i32.add (local.get $a) (local.get $acs)))
          (local.set $a1 (i32.add (local.get $a1) (local.get $acs)))
          (local.set $a2 (i32.add (local.get $a2) (local.get $acs)))
          (local.set $a3 (i32.add (local.get $a3) (local.get $acs)))
          (local.set $b (i32.add (local.get $b) (local.get $ldb)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $k (i32.lt_s (local.get $j) (local.get $kend))))))
    (local.set $o (local.get $c))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (f64x2.splat (local.get $f)) (local.get $s0))))) (else (v128.store (local.get $o) (local.get $s0))))
    (local.set $o (i32.add (local.get $o) (local.get $ldc)))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (f64x2.splat (local.get $f)) (local.get $s1))))) (else (v128.store (local.get $o) (local.get $s1))))
    (local.set $o (i32.add (local.get $o) (local.get $ldc)))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (f64x2.splat (local.get $f)) (local.get $s2))))) (else (v128.store (local.get $o) (local.get $s2))))
    (local.set $o (i32.add (local.get $o) (local.get $ldc)))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (f64x2.splat (local.get $f)) (local.get $s3))))) (else (v128.store (local.get $o) (local.get $s3)))))

  ;; 4 rows × 1 column (scalar)
  (func $mk4x1 (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $ldb i32)
               (param $c i32) (param $ldc i32) (param $kend i32) (param $f f64) (param $mode i32) (param $in i32)
    (local $j i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64) (local $y f64) (local $o i32)
    (local.set $a1 (i32.add (local.get $a) (local.get $ars)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $ars)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $ars)))
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then
        (local.set $o (i32.add (local.get $c) (local.get $in)))
        (local.set $s0 (f64.mul (local.get $f) (f64.load (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s1 (f64.mul (local.get $f) (f64.load (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s2 (f64.mul (local.get $f) (f64.load (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s3 (f64.mul (local.get $f) (f64.load (local.get $o))))))
    (if (i32.gt_s (local.get $kend) (i32.const 0))
      (then
        (loop $k
          (local.set $y (f64.load (local.get $b)))
          (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $a)) (local.get $y))))
          (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load (local.get $a1)) (local.get $y))))
          (local.set $s2 (f64.add (local.get $s2) (f64.mul (f64.load (local.get $a2)) (local.get $y))))
          (local.set $s3 (f64.add (local.get $s3) (f64.mul (f64.load (local.get $a3)) (local.get $y))))
          (local.set $a (i32.add (local.get $a) (local.get $acs)))
          (local.set $a1 (i32.add (local.get $a1) (local.get $acs)))
          (local.set $a2 (i32.add (local.get $a2) (local.get $acs)))
          (local.set $a3 (i32.add (local.get $a3) (local.get $acs)))
          (local.set $b (i32.add (local.get $b) (local.get $ldb)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $k (i32.lt_s (local.get $j) (local.get $kend))))))
    (local.set $o (local.get $c))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.mul (local.get $f) (local.get $s0))))) (else (f64.store (local.get $o) (local.get $s0))))
    (local.set $o (i32.add (local.get $o) (local.get $ldc)))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.mul (local.get $f) (local.get $s1))))) (else (f64.store (local.get $o) (local.get $s1))))
    (local.set $o (i32.add (local.get $o) (local.get $ldc)))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.mul (local.get $f) (local.get $s2))))) (else (f64.store (local.get $o) (local.get $s2))))
    (local.set $o (i32.add (local.get $o) (local.get $ldc)))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.mul (local.get $f) (local.get $s3))))) (else (f64.store (local.get $o) (local.get $s3)))))

  ;; 2 rows × 4 columns (4 accumulators; per j: 2 splat loads + 2 loads for 4 multiply-adds)
  (func $mk2x4 (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $ldb i32)
               (param $c i32) (param $ldc i32) (param $kend i32) (param $f f64) (param $mode i32) (param $in i32)
    (local $j i32) (local $a1 i32) (local $o i32) (local $o1 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128) (local $fv v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $ars)))
    (local.set $fv (f64x2.splat (local.get $f)))
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then
        (local.set $o (i32.add (local.get $c) (local.get $in)))
        (local.set $s00 (f64x2.mul (local.get $fv) (v128.load (local.get $o))))
        (local.set $s01 (f64x2.mul (local.get $fv) (v128.load offset=16 (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $ldc)))
        (local.set $s10 (f64x2.mul (local.get $fv) (v128.load (local.get $o))))
        (local.set $s11 (f64x2.mul (local.get $fv) (v128.load offset=16 (local.get $o))))))
    (if (i32.gt_s (local.get $kend) (i32.const 0))
      (then
        (loop $k
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          (local.set $x (v128.load64_splat (local.get $a)))
          (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat (local.get $a1)))
          (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $a (i32.add (local.get $a) (local.get $acs)))
          (local.set $a1 (i32.add (local.get $a1) (local.get $acs)))
          (local.set $b (i32.add (local.get $b) (local.get $ldb)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $k (i32.lt_s (local.get $j) (local.get $kend))))))
    (local.set $o (local.get $c))
    (local.set $o1 (i32.add (local.get $c) (local.get $ldc)))
    (if (i32.eq (local.get $mode) (i32.const 1))
      (then
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s00))))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (f64x2.mul (local.get $fv) (local.get $s01))))
        (v128.store (local.get $o1) (f64x2.add (v128.load (local.get $o1)) (f64x2.mul (local.get $fv) (local.get $s10))))
        (v128.store offset=16 (local.get $o1) (f64x2.add (v128.load offset=16 (local.get $o1)) (f64x2.mul (local.get $fv) (local.get $s11)))))
      (else
        (v128.store (local.get $o) (local.get $s00))
        (v128.store offset=16 (local.get $o) (local.get $s01))
        (v128.store (local.get $o1) (local.get $s10))
        (v128.store offset=16 (local.get $o1) (local.get $s11)))))

  ;; 1 row × 4 columns
  (func $mk1x4 (param $a i32) (param $acs i32) (param $b i32) (param $ldb i32)
               (param $c i32) (param $kend i32) (param $f f64) (param $mode i32) (param $in i32)
    (local $j i32) (local $s0 v128) (local $s1 v128) (local $x v128)
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then
        (local.set $s0 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (i32.add (local.get $c) (local.get $in)))))
        (local.set $s1 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (i32.add (i32.add (local.get $c) (local.get $in)) (i32.const 16)))))))
    (if (i32.gt_s (local.get $kend) (i32.const 0))
      (then
        (loop $k
          (local.set $x (v128.load64_splat (local.get $a)))
          (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $x) (v128.load (local.get $b)))))
          (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $x) (v128.load offset=16 (local.get $b)))))
          (local.set $a (i32.add (local.get $a) (local.get $acs)))
          (local.set $b (i32.add (local.get $b) (local.get $ldb)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $k (i32.lt_s (local.get $j) (local.get $kend))))))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (f64x2.mul (f64x2.splat (local.get $f)) (local.get $s0))))) (else (v128.store (local.get $c) (local.get $s0))))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (v128.store (i32.add (local.get $c) (i32.const 16)) (f64x2.add (v128.load (i32.add (local.get $c) (i32.const 16))) (f64x2.mul (f64x2.splat (local.get $f)) (local.get $s1))))) (else (v128.store (i32.add (local.get $c) (i32.const 16)) (local.get $s1)))))

  ;; 1 row × 2 columns
  (func $mk1x2 (param $a i32) (param $acs i32) (param $b i32) (param $ldb i32)
               (param $c i32) (param $kend i32) (param $f f64) (param $mode i32) (param $in i32)
    (local $j i32) (local $s0 v128)
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then (local.set $s0 (f64x2.mul (f64x2.splat (local.get $f)) (v128.load (i32.add (local.get $c) (local.get $in)))))))
    (if (i32.gt_s (local.get $kend) (i32.const 0))
      (then
        (loop $k
          (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load64_splat (local.get $a)) (v128.load (local.get $b)))))
          (local.set $a (i32.add (local.get $a) (local.get $acs)))
          (local.set $b (i32.add (local.get $b) (local.get $ldb)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $k (i32.lt_s (local.get $j) (local.get $kend))))))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (f64x2.mul (f64x2.splat (local.get $f)) (local.get $s0))))) (else (v128.store (local.get $c) (local.get $s0)))))

  ;; 1 row × 1 column (scalar)
  (func $mk1x1 (param $a i32) (param $acs i32) (param $b i32) (param $ldb i32)
               (param $c i32) (param $kend i32) (param $f f64) (param $mode i32) (param $in i32)
    (local $j i32) (local $s f64)
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then (local.set $s (f64.mul (local.get $f) (f64.load (i32.add (local.get $c) (local.get $in)))))))
    (if (i32.gt_s (local.get $kend) (i32.const 0))
      (then
        (loop $k
          (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
          (local.set $a (i32.add (local.get $a) (local.get $acs)))
          (local.set $b (i32.add (local.get $b) (local.get $ldb)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $k (i32.lt_s (local.get $j) (local.get $kend))))))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (f64.store (local.get $c) (f64.add (f64.load (local.get $c)) (f64.mul (local.get $f) (local.get $s))))) (else (f64.store (local.get $c) (local.get $s)))))

  (func $gemm (export "gemm") (param $m i32) (param $n i32) (param $kk i32)
                        (param $A i32) (param $ars i32) (param $acs i32)
                        (param $B i32) (param $ldb i32) (param $C i32) (param $ldc i32)
                        (param $f f64) (param $mode i32) (param $tri i32) (param $IN i32)
    (local $in i32) (local $i i32) (local $two i32) (local $twoC i32) (local $c0 i32) (local $ai i32) (local $ci i32)
    (local.set $ars (i32.shl (local.get $ars) (i32.const 3)))
    (local.set $acs (i32.shl (local.get $acs) (i32.const 3)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $in (i32.sub (local.get $IN) (local.get $C)))
    ;; blocks of 4 rows
    (block $rows4done
      (loop $rows4
        (br_if $rows4done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (local.set $ai (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $ars))))
        (local.set $ci (i32.add (local.get $C) (i32.mul (local.get $i) (local.get $ldc))))
        (local.set $c0 (i32.const 0))
        (block $c4done
          (loop $c4
            (br_if $c4done (i32.gt_s (i32.add (local.get $c0) (i32.const 4)) (local.get $n)))
            (call $mk4x4 (local.get $ai) (local.get $ars) (local.get $acs)
              (i32.add (local.get $B) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldb)
              (i32.add (local.get $ci) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldc)
              (select (select (i32.add (local.get $c0) (i32.const 4)) (local.get $kk) (i32.lt_s (i32.add (local.get $c0) (i32.const 4)) (local.get $kk))) (local.get $kk) (local.get $tri)) (local.get $f) (local.get $mode) (local.get $in))
            (local.set $c0 (i32.add (local.get $c0) (i32.const 4)))
            (br $c4)))
        (if (i32.le_s (i32.add (local.get $c0) (i32.const 2)) (local.get $n))
          (then
            (call $mk4x2 (local.get $ai) (local.get $ars) (local.get $acs)
              (i32.add (local.get $B) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldb)
              (i32.add (local.get $ci) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldc)
              (select (select (i32.add (local.get $c0) (i32.const 2)) (local.get $kk) (i32.lt_s (i32.add (local.get $c0) (i32.const 2)) (local.get $kk))) (local.get $kk) (local.get $tri)) (local.get $f) (local.get $mode) (local.get $in))
            (local.set $c0 (i32.add (local.get $c0) (i32.const 2)))))
        (if (i32.lt_s (local.get $c0) (local.get $n))
          (then
            (call $mk4x1 (local.get $ai) (local.get $ars) (local.get $acs)
              (i32.add (local.get $B) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldb)
              (i32.add (local.get $ci) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldc)
              (select (select (i32.add (local.get $c0) (i32.const 1)) (local.get $kk) (i32.lt_s (i32.add (local.get $c0) (i32.const 1)) (local.get $kk))) (local.get $kk) (local.get $tri)) (local.get $f) (local.get $mode) (local.get $in))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows4)))
    ;; two more rows: their blocks of 4 columns together; their last columns below, row by row
    (local.set $two (i32.const -8))
    (if (i32.le_s (i32.add (local.get $i) (i32.const 2)) (local.get $m))
      (then
        (local.set $ai (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $ars))))
        (local.set $ci (i32.add (local.get $C) (i32.mul (local.get $i) (local.get $ldc))))
        (local.set $c0 (i32.const 0))
        (block $c4done
          (loop $c4
            (br_if $c4done (i32.gt_s (i32.add (local.get $c0) (i32.const 4)) (local.get $n)))
            (call $mk2x4 (local.get $ai) (local.get $ars) (local.get $acs)
              (i32.add (local.get $B) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldb)
              (i32.add (local.get $ci) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldc)
              (select (select (i32.add (local.get $c0) (i32.const 4)) (local.get $kk) (i32.lt_s (i32.add (local.get $c0) (i32.const 4)) (local.get $kk))) (local.get $kk) (local.get $tri)) (local.get $f) (local.get $mode) (local.get $in))
            (local.set $c0 (i32.add (local.get $c0) (i32.const 4)))
            (br $c4)))
        (local.set $two (local.get $i))
        (local.set $twoC (local.get $c0))))
    ;; the remaining rows one by one (the two rows above from column twoC)
    (block $rows1done
      (loop $rows1
        (br_if $rows1done (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $ai (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $ars))))
        (local.set $ci (i32.add (local.get $C) (i32.mul (local.get $i) (local.get $ldc))))
        (local.set $c0 (select (local.get $twoC) (i32.const 0)
          (i32.and (i32.ge_s (local.get $i) (local.get $two)) (i32.lt_s (local.get $i) (i32.add (local.get $two) (i32.const 2))))))
        (block $c4done
          (loop $c4
            (br_if $c4done (i32.gt_s (i32.add (local.get $c0) (i32.const 4)) (local.get $n)))
            (call $mk1x4 (local.get $ai) (local.get $acs)
              (i32.add (local.get $B) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldb)
              (i32.add (local.get $ci) (i32.shl (local.get $c0) (i32.const 3)))
              (select (select (i32.add (local.get $c0) (i32.const 4)) (local.get $kk) (i32.lt_s (i32.add (local.get $c0) (i32.const 4)) (local.get $kk))) (local.get $kk) (local.get $tri)) (local.get $f) (local.get $mode) (local.get $in))
            (local.set $c0 (i32.add (local.get $c0) (i32.const 4)))
            (br $c4)))
        (if (i32.le_s (i32.add (local.get $c0) (i32.const 2)) (local.get $n))
          (then
            (call $mk1x2 (local.get $ai) (local.get $acs)
              (i32.add (local.get $B) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldb)
              (i32.add (local.get $ci) (i32.shl (local.get $c0) (i32.const 3)))
              (select (select (i32.add (local.get $c0) (i32.const 2)) (local.get $kk) (i32.lt_s (i32.add (local.get $c0) (i32.const 2)) (local.get $kk))) (local.get $kk) (local.get $tri)) (local.get $f) (local.get $mode) (local.get $in))
            (local.set $c0 (i32.add (local.get $c0) (i32.const 2)))))
        (if (i32.lt_s (local.get $c0) (local.get $n))
          (then
            (call $mk1x1 (local.get $ai) (local.get $acs)
              (i32.add (local.get $B) (i32.shl (local.get $c0) (i32.const 3))) (local.get $ldb)
              (i32.add (local.get $ci) (i32.shl (local.get $c0) (i32.const 3)))
              (select (select (i32.add (local.get $c0) (i32.const 1)) (local.get $kk) (i32.lt_s (i32.add (local.get $c0) (i32.const 1)) (local.get $kk))) (local.get $kk) (local.get $tri)) (local.get $f) (local.get $mode) (local.get $in))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows1))))

  ;; ---------------------------------------------------------------------------------------
  ;; rowCombine: OUT row r = d·IN row r + Σ_{s<ns} C[r·cr + s·cs]·SRC row s, elementwise along
  ;; the rows (lanes = neighbouring elements q, q+1 of one row: each lane is its own output).
  ;; The order of ../kernels.ts rowCombine, element by element:
  ;;  - rows in pairs (r, r+1 < nr): the chain ((d·in + c₀x₀) + c₁x₁) + … left to right. Its
  ;;    groups of ≤ 4 sources only decide where the chain's rounded value is kept between
  ;;    groups (1·out is exact), so here: gemm mode 2, the chain held in registers (4 rows ×
  ;;    4 elements per block) over all sources, one store.
  ;;  - the odd last row: out = d·in, then out + (((c₀x₀ + c₁x₁) + c₂x₂) + c₃x₃) per group of
  ;;    4 sources, then out + c·x for the remaining ones.
  ;; ---------------------------------------------------------------------------------------

  ;; one row: o = d·in
  (func $rcScale (param $o i32) (param $in i32) (param $d f64) (param $len i32)
    (local $q i32) (local $end i32) (local $dv v128)
    (local.set $dv (f64x2.splat (local.get $d)))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (if (i32.gt_s (local.get $end) (i32.const 0))
      (then
        (loop $l
          (v128.store (i32.add (local.get $o) (local.get $q)) (f64x2.mul (local.get $dv) (v128.load (i32.add (local.get $in) (local.get $q)))))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $l (i32.lt_s (local.get $q) (local.get $end))))))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $o) (local.get $end)) (f64.mul (local.get $d) (f64.load (i32.add (local.get $in) (local.get $end))))))))

  ;; one row, four sources: o = o + (((c0·x0 + c1·x1) + c2·x2) + c3·x3)
  (func $rc1x4 (param $o i32) (param $c0 f64) (param $c1 f64) (param $c2 f64) (param $c3 f64)
               (param $x i32) (param $rl i32) (param $len i32)
    (local $q i32) (local $end i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $x1 (i32.add (local.get $x) (local.get $rl)))
    (local.set $x2 (i32.add (local.get $x1) (local.get $rl)))
    (local.set $x3 (i32.add (local.get $x2) (local.get $rl)))
    (local.set $v0 (f64x2.splat (local.get $c0))) (local.set $v1 (f64x2.splat (local.get $c1)))
    (local.set $v2 (f64x2.splat (local.get $c2))) (local.set $v3 (f64x2.splat (local.get $c3)))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (if (i32.gt_s (local.get $end) (i32.const 0))
      (then
        (loop $l
          (v128.store (i32.add (local.get $o) (local.get $q))
            (f64x2.add (v128.load (i32.add (local.get $o) (local.get $q)))
              (f64x2.add (f64x2.add (f64x2.add
                (f64x2.mul (local.get $v0) (v128.load (i32.add (local.get $x) (local.get $q))))
                (f64x2.mul (local.get $v1) (v128.load (i32.add (local.get $x1) (local.get $q)))))
                (f64x2.mul (local.get $v2) (v128.load (i32.add (local.get $x2) (local.get $q)))))
                (f64x2.mul (local.get $v3) (v128.load (i32.add (local.get $x3) (local.get $q)))))))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $l (i32.lt_s (local.get $q) (local.get $end))))))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (local.set $q (local.get $end))
        (f64.store (i32.add (local.get $o) (local.get $q))
          (f64.add (f64.load (i32.add (local.get $o) (local.get $q)))
            (f64.add (f64.add (f64.add
              (f64.mul (local.get $c0) (f64.load (i32.add (local.get $x) (local.get $q))))
              (f64.mul (local.get $c1) (f64.load (i32.add (local.get $x1) (local.get $q)))))
              (f64.mul (local.get $c2) (f64.load (i32.add (local.get $x2) (local.get $q)))))
              (f64.mul (local.get $c3) (f64.load (i32.add (local.get $x3) (local.get $q))))))))))

  ;; one row, one source: o = o + c·x
  (func $rc1x1 (param $o i32) (param $c f64) (param $x i32) (param $len i32)
    (local $q i32) (local $end i32) (local $v v128)
    (local.set $v (f64x2.splat (local.get $c)))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (if (i32.gt_s (local.get $end) (i32.const 0))
      (then
        (loop $l
          (v128.store (i32.add (local.get $o) (local.get $q))
            (f64x2.add (v128.load (i32.add (local.get $o) (local.get $q))) (f64x2.mul (local.get $v) (v128.load (i32.add (local.get $x) (local.get $q))))))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $l (i32.lt_s (local.get $q) (local.get $end))))))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $o) (local.get $end))
          (f64.add (f64.load (i32.add (local.get $o) (local.get $end))) (f64.mul (local.get $c) (f64.load (i32.add (local.get $x) (local.get $end)))))))))

  ;; two rows, 5 sources: o_r = (((((f·b_r + c_r0·x0) + c_r1·x1) + c_r2·x2) + c_r3·x3) + c_r4·x4), q = 0…len−1
  (func $rc2s5 (param $o0 i32) (param $o1 i32) (param $b0 i32) (param $b1 i32) (param $f f64)
               (param $ca i32) (param $cb i32) (param $cs i32) (param $x i32) (param $rl i32) (param $len i32)
    (local $q i32) (local $end i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $x4 i32) (local $fv v128) (local $a0 v128) (local $e0 v128) (local $y0 v128) (local $a1 v128) (local $e1 v128) (local $y1 v128) (local $a2 v128) (local $e2 v128) (local $y2 v128) (local $a3 v128) (local $e3 v128) (local $y3 v128) (local $a4 v128) (local $e4 v128) (local $y4 v128)
    (local.set $x1 (i32.add (local.get $x) (local.get $rl)))
    (local.set $x2 (i32.add (local.get $x1) (local.get $rl)))
    (local.set $x3 (i32.add (local.get $x2) (local.get $rl)))
    (local.set $x4 (i32.add (local.get $x3) (local.get $rl)))
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $a0 (v128.load64_splat (local.get $ca)))
    (local.set $e0 (v128.load64_splat (local.get $cb)))
    (local.set $a1 (v128.load64_splat (i32.add (local.get $ca) (local.get $cs))))
    (local.set $e1 (v128.load64_splat (i32.add (local.get $cb) (local.get $cs))))
    (local.set $a2 (v128.load64_splat (i32.add (local.get $ca) (i32.mul (i32.const 2) (local.get $cs)))))
    (local.set $e2 (v128.load64_splat (i32.add (local.get $cb) (i32.mul (i32.const 2) (local.get $cs)))))
    (local.set $a3 (v128.load64_splat (i32.add (local.get $ca) (i32.mul (i32.const 3) (local.get $cs)))))
    (local.set $e3 (v128.load64_splat (i32.add (local.get $cb) (i32.mul (i32.const 3) (local.get $cs)))))
    (local.set $a4 (v128.load64_splat (i32.add (local.get $ca) (i32.mul (i32.const 4) (local.get $cs)))))
    (local.set $e4 (v128.load64_splat (i32.add (local.get $cb) (i32.mul (i32.const 4) (local.get $cs)))))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (if (i32.gt_s (local.get $end) (i32.const 0))
      (then
        (loop $l
          (local.set $y0 (v128.load (i32.add (local.get $x) (local.get $q))))
          (local.set $y1 (v128.load (i32.add (local.get $x1) (local.get $q))))
          (local.set $y2 (v128.load (i32.add (local.get $x2) (local.get $q))))
          (local.set $y3 (v128.load (i32.add (local.get $x3) (local.get $q))))
          (local.set $y4 (v128.load (i32.add (local.get $x4) (local.get $q))))
          (v128.store (i32.add (local.get $o0) (local.get $q))
            (f64x2.add (f64x2.add (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $b0) (local.get $q)))) (f64x2.mul (local.get $a0) (local.get $y0))) (f64x2.mul (local.get $a1) (local.get $y1))) (f64x2.mul (local.get $a2) (local.get $y2))) (f64x2.mul (local.get $a3) (local.get $y3))) (f64x2.mul (local.get $a4) (local.get $y4))))
          (v128.store (i32.add (local.get $o1) (local.get $q))
            (f64x2.add (f64x2.add (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $b1) (local.get $q)))) (f64x2.mul (local.get $e0) (local.get $y0))) (f64x2.mul (local.get $e1) (local.get $y1))) (f64x2.mul (local.get $e2) (local.get $y2))) (f64x2.mul (local.get $e3) (local.get $y3))) (f64x2.mul (local.get $e4) (local.get $y4))))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $l (i32.lt_s (local.get $q) (local.get $end))))))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $o0) (local.get $end))
          (f64.add (f64.add (f64.add (f64.add (f64.add (f64.mul (local.get $f) (f64.load (i32.add (local.get $b0) (local.get $end)))) (f64.mul (f64x2.extract_lane 0 (local.get $a0)) (f64.load (i32.add (local.get $x) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $a1)) (f64.load (i32.add (local.get $x1) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $a2)) (f64.load (i32.add (local.get $x2) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $a3)) (f64.load (i32.add (local.get $x3) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $a4)) (f64.load (i32.add (local.get $x4) (local.get $end))))))
        (f64.store (i32.add (local.get $o1) (local.get $end))
          (f64.add (f64.add (f64.add (f64.add (f64.add (f64.mul (local.get $f) (f64.load (i32.add (local.get $b1) (local.get $end)))) (f64.mul (f64x2.extract_lane 0 (local.get $e0)) (f64.load (i32.add (local.get $x) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $e1)) (f64.load (i32.add (local.get $x1) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $e2)) (f64.load (i32.add (local.get $x2) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $e3)) (f64.load (i32.add (local.get $x3) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $e4)) (f64.load (i32.add (local.get $x4) (local.get $end)))))))))

  ;; two rows, 4 sources: o_r = ((((f·b_r + c_r0·x0) + c_r1·x1) + c_r2·x2) + c_r3·x3), q = 0…len−1
  (func $rc2s4 (param $o0 i32) (param $o1 i32) (param $b0 i32) (param $b1 i32) (param $f f64)
               (param $ca i32) (param $cb i32) (param $cs i32) (param $x i32) (param $rl i32) (param $len i32)
    (local $q i32) (local $end i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $fv v128) (local $a0 v128) (local $e0 v128) (local $y0 v128) (local $a1 v128) (local $e1 v128) (local $y1 v128) (local $a2 v128) (local $e2 v128) (local $y2 v128) (local $a3 v128) (local $e3 v128) (local $y3 v128)
    (local.set $x1 (i32.add (local.get $x) (local.get $rl)))
    (local.set $x2 (i32.add (local.get $x1) (local.get $rl)))
    (local.set $x3 (i32.add (local.get $x2) (local.get $rl)))
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $a0 (v128.load64_splat (local.get $ca)))
    (local.set $e0 (v128.load64_splat (local.get $cb)))
    (local.set $a1 (v128.load64_splat (i32.add (local.get $ca) (local.get $cs))))
    (local.set $e1 (v128.load64_splat (i32.add (local.get $cb) (local.get $cs))))
    (local.set $a2 (v128.load64_splat (i32.add (local.get $ca) (i32.mul (i32.const 2) (local.get $cs)))))
    (local.set $e2 (v128.load64_splat (i32.add (local.get $cb) (i32.mul (i32.const 2) (local.get $cs)))))
    (local.set $a3 (v128.load64_splat (i32.add (local.get $ca) (i32.mul (i32.const 3) (local.get $cs)))))
    (local.set $e3 (v128.load64_splat (i32.add (local.get $cb) (i32.mul (i32.const 3) (local.get $cs)))))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (if (i32.gt_s (local.get $end) (i32.const 0))
      (then
        (loop $l
          (local.set $y0 (v128.load (i32.add (local.get $x) (local.get $q))))
          (local.set $y1 (v128.load (i32.add (local.get $x1) (local.get $q))))
          (local.set $y2 (v128.load (i32.add (local.get $x2) (local.get $q))))
          (local.set $y3 (v128.load (i32.add (local.get $x3) (local.get $q))))
          (v128.store (i32.add (local.get $o0) (local.get $q))
            (f64x2.add (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $b0) (local.get $q)))) (f64x2.mul (local.get $a0) (local.get $y0))) (f64x2.mul (local.get $a1) (local.get $y1))) (f64x2.mul (local.get $a2) (local.get $y2))) (f64x2.mul (local.get $a3) (local.get $y3))))
          (v128.store (i32.add (local.get $o1) (local.get $q))
            (f64x2.add (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $b1) (local.get $q)))) (f64x2.mul (local.get $e0) (local.get $y0))) (f64x2.mul (local.get $e1) (local.get $y1))) (f64x2.mul (local.get $e2) (local.get $y2))) (f64x2.mul (local.get $e3) (local.get $y3))))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $l (i32.lt_s (local.get $q) (local.get $end))))))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $o0) (local.get $end))
          (f64.add (f64.add (f64.add (f64.add (f64.mul (local.get $f) (f64.load (i32.add (local.get $b0) (local.get $end)))) (f64.mul (f64x2.extract_lane 0 (local.get $a0)) (f64.load (i32.add (local.get $x) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $a1)) (f64.load (i32.add (local.get $x1) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $a2)) (f64.load (i32.add (local.get $x2) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $a3)) (f64.load (i32.add (local.get $x3) (local.get $end))))))
        (f64.store (i32.add (local.get $o1) (local.get $end))
          (f64.add (f64.add (f64.add (f64.add (f64.mul (local.get $f) (f64.load (i32.add (local.get $b1) (local.get $end)))) (f64.mul (f64x2.extract_lane 0 (local.get $e0)) (f64.load (i32.add (local.get $x) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $e1)) (f64.load (i32.add (local.get $x1) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $e2)) (f64.load (i32.add (local.get $x2) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $e3)) (f64.load (i32.add (local.get $x3) (local.get $end)))))))))

  ;; two rows, 2 sources: o_r = ((f·b_r + c_r0·x0) + c_r1·x1), q = 0…len−1
  (func $rc2s2 (param $o0 i32) (param $o1 i32) (param $b0 i32) (param $b1 i32) (param $f f64)
               (param $ca i32) (param $cb i32) (param $cs i32) (param $x i32) (param $rl i32) (param $len i32)
    (local $q i32) (local $end i32) (local $x1 i32) (local $fv v128) (local $a0 v128) (local $e0 v128) (local $y0 v128) (local $a1 v128) (local $e1 v128) (local $y1 v128)
    (local.set $x1 (i32.add (local.get $x) (local.get $rl)))
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $a0 (v128.load64_splat (local.get $ca)))
    (local.set $e0 (v128.load64_splat (local.get $cb)))
    (local.set $a1 (v128.load64_splat (i32.add (local.get $ca) (local.get $cs))))
    (local.set $e1 (v128.load64_splat (i32.add (local.get $cb) (local.get $cs))))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (if (i32.gt_s (local.get $end) (i32.const 0))
      (then
        (loop $l
          (local.set $y0 (v128.load (i32.add (local.get $x) (local.get $q))))
          (local.set $y1 (v128.load (i32.add (local.get $x1) (local.get $q))))
          (v128.store (i32.add (local.get $o0) (local.get $q))
            (f64x2.add (f64x2.add (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $b0) (local.get $q)))) (f64x2.mul (local.get $a0) (local.get $y0))) (f64x2.mul (local.get $a1) (local.get $y1))))
          (v128.store (i32.add (local.get $o1) (local.get $q))
            (f64x2.add (f64x2.add (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $b1) (local.get $q)))) (f64x2.mul (local.get $e0) (local.get $y0))) (f64x2.mul (local.get $e1) (local.get $y1))))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $l (i32.lt_s (local.get $q) (local.get $end))))))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $o0) (local.get $end))
          (f64.add (f64.add (f64.mul (local.get $f) (f64.load (i32.add (local.get $b0) (local.get $end)))) (f64.mul (f64x2.extract_lane 0 (local.get $a0)) (f64.load (i32.add (local.get $x) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $a1)) (f64.load (i32.add (local.get $x1) (local.get $end))))))
        (f64.store (i32.add (local.get $o1) (local.get $end))
          (f64.add (f64.add (f64.mul (local.get $f) (f64.load (i32.add (local.get $b1) (local.get $end)))) (f64.mul (f64x2.extract_lane 0 (local.get $e0)) (f64.load (i32.add (local.get $x) (local.get $end))))) (f64.mul (f64x2.extract_lane 0 (local.get $e1)) (f64.load (i32.add (local.get $x1) (local.get $end)))))))))

  ;; two rows, 1 source: o_r = (f·b_r + c_r0·x0), q = 0…len−1
  (func $rc2s1 (param $o0 i32) (param $o1 i32) (param $b0 i32) (param $b1 i32) (param $f f64)
               (param $ca i32) (param $cb i32) (param $cs i32) (param $x i32) (param $rl i32) (param $len i32)
    (local $q i32) (local $end i32) (local $fv v128) (local $a0 v128) (local $e0 v128) (local $y0 v128)
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $a0 (v128.load64_splat (local.get $ca)))
    (local.set $e0 (v128.load64_splat (local.get $cb)))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (if (i32.gt_s (local.get $end) (i32.const 0))
      (then
        (loop $l
          (local.set $y0 (v128.load (i32.add (local.get $x) (local.get $q))))
          (v128.store (i32.add (local.get $o0) (local.get $q))
            (f64x2.add (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $b0) (local.get $q)))) (f64x2.mul (local.get $a0) (local.get $y0))))
          (v128.store (i32.add (local.get $o1) (local.get $q))
            (f64x2.add (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $b1) (local.get $q)))) (f64x2.mul (local.get $e0) (local.get $y0))))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $l (i32.lt_s (local.get $q) (local.get $end))))))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $o0) (local.get $end))
          (f64.add (f64.mul (local.get $f) (f64.load (i32.add (local.get $b0) (local.get $end)))) (f64.mul (f64x2.extract_lane 0 (local.get $a0)) (f64.load (i32.add (local.get $x) (local.get $end))))))
        (f64.store (i32.add (local.get $o1) (local.get $end))
          (f64.add (f64.mul (local.get $f) (f64.load (i32.add (local.get $b1) (local.get $end)))) (f64.mul (f64x2.extract_lane 0 (local.get $e0)) (f64.load (i32.add (local.get $x) (local.get $end)))))))))


  ;; the rows in pairs with few sources (1 ≤ ns ≤ 8: W1 += M·W2ᵀ, ns = k): each pair of OUT
  ;; rows is streamed once per group of sources (5 when exactly 5 are left, else 4, …, 4, then
  ;; 2 and/or 1), the group's coefficients held in registers; the first group reads d·IN, the
  ;; next ones OUT (stored and reloaded: exact, 1·out = out), so each element's chain is the
  ;; gemm's ((d·in + c₀x₀) + c₁x₁) + … and rowCombine's, whatever the grouping. A gemm over
  ;; such a short inner dimension enters and leaves a 4×4 block (8 loads of IN, 8 stores) every
  ;; ns steps. Measured (same process, alternating, CPU µs) at (p, l) = (50, 100): ns = 5
  ;; 4.7 → 4.1 in groups 4 + 1 and 7.2–7.7 → 5.7–6.1 (a busier moment) as one group of 5;
  ;; ns = 2: 3.2 → 2.1; about even at ns = 10–12 and slower at 16 (13.1 against 10.7 µs):
  ;; hence the bound 8.
  (func $rcPairs (param $out i32) (param $inp i32) (param $nr i32) (param $d f64)
                 (param $C i32) (param $cr i32) (param $cs i32) (param $src i32) (param $ns i32) (param $len i32)
    (local $r i32) (local $s i32) (local $w i32) (local $rl i32) (local $o0 i32) (local $b0 i32) (local $ca i32) (local $f f64)
    (local.set $rl (i32.shl (local.get $len) (i32.const 3)))
    (local.set $cr (i32.shl (local.get $cr) (i32.const 3)))
    (local.set $cs (i32.shl (local.get $cs) (i32.const 3)))
    (block $rdone
      (loop $rows
        (br_if $rdone (i32.ge_s (local.get $r) (local.get $nr)))
        (local.set $o0 (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rl))))
        (local.set $b0 (i32.add (local.get $inp) (i32.mul (local.get $r) (local.get $rl))))
        (local.set $ca (i32.add (local.get $C) (i32.mul (local.get $r) (local.get $cr))))
        (local.set $f (local.get $d))
        (local.set $s (i32.const 0))
        (block $sdone
          (loop $groups
            (br_if $sdone (i32.ge_s (local.get $s) (local.get $ns)))
            (local.set $w (i32.sub (local.get $ns) (local.get $s)))
            (if (i32.eq (local.get $w) (i32.const 5))
              (then
                (call $rc2s5 (local.get $o0) (i32.add (local.get $o0) (local.get $rl)) (local.get $b0) (i32.add (local.get $b0) (local.get $rl)) (local.get $f)
                  (local.get $ca) (i32.add (local.get $ca) (local.get $cr)) (local.get $cs)
                  (i32.add (local.get $src) (i32.mul (local.get $s) (local.get $rl))) (local.get $rl) (local.get $len))
                (local.set $w (i32.const 5)))
            (else (if (i32.ge_s (local.get $w) (i32.const 4))
              (then
                (call $rc2s4 (local.get $o0) (i32.add (local.get $o0) (local.get $rl)) (local.get $b0) (i32.add (local.get $b0) (local.get $rl)) (local.get $f)
                  (local.get $ca) (i32.add (local.get $ca) (local.get $cr)) (local.get $cs)
                  (i32.add (local.get $src) (i32.mul (local.get $s) (local.get $rl))) (local.get $rl) (local.get $len))
                (local.set $w (i32.const 4)))
              (else (if (i32.ge_s (local.get $w) (i32.const 2))
                (then
                  (call $rc2s2 (local.get $o0) (i32.add (local.get $o0) (local.get $rl)) (local.get $b0) (i32.add (local.get $b0) (local.get $rl)) (local.get $f)
                    (local.get $ca) (i32.add (local.get $ca) (local.get $cr)) (local.get $cs)
                    (i32.add (local.get $src) (i32.mul (local.get $s) (local.get $rl))) (local.get $rl) (local.get $len))
                  (local.set $w (i32.const 2)))
                (else
                  (call $rc2s1 (local.get $o0) (i32.add (local.get $o0) (local.get $rl)) (local.get $b0) (i32.add (local.get $b0) (local.get $rl)) (local.get $f)
                    (local.get $ca) (i32.add (local.get $ca) (local.get $cr)) (local.get $cs)
                    (i32.add (local.get $src) (i32.mul (local.get $s) (local.get $rl))) (local.get $rl) (local.get $len))))))))
            ;; the next group continues the chains from OUT
            (local.set $ca (i32.add (local.get $ca) (i32.mul (local.get $w) (local.get $cs))))
            (local.set $s (i32.add (local.get $s) (local.get $w)))
            (local.set $b0 (local.get $o0))
            (local.set $f (f64.const 1))
            (br $groups)))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $rows))))

  ;; C[r·cr + s·cs]
  (func $coef (param $C i32) (param $cr i32) (param $cs i32) (param $r i32) (param $s i32) (result f64)
    (f64.load (i32.add (local.get $C)
      (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cr)) (i32.mul (local.get $s) (local.get $cs))) (i32.const 3)))))

  (func (export "rowCombine") (param $out i32) (param $inp i32) (param $nr i32) (param $d f64)
                              (param $C i32) (param $cr i32) (param $cs i32)
                              (param $src i32) (param $ns i32) (param $len i32)
    (local $r i32) (local $s i32) (local $rl i32) (local $o0 i32)
    (local.set $rl (i32.shl (local.get $len) (i32.const 3)))
    ;; the rows in pairs: streamed by source groups when the sources are few, else a gemm whose
    ;; chains start at d·IN (the same chains either way)
    (local.set $r (i32.and (local.get $nr) (i32.const -2)))
    (if (i32.and (i32.ge_s (local.get $ns) (i32.const 1)) (i32.le_s (local.get $ns) (i32.const 8)))
      (then (call $rcPairs (local.get $out) (local.get $inp) (local.get $r) (local.get $d) (local.get $C) (local.get $cr) (local.get $cs)
        (local.get $src) (local.get $ns) (local.get $len)))
      (else (call $gemm (local.get $r) (local.get $len) (local.get $ns) (local.get $C) (local.get $cr) (local.get $cs)
        (local.get $src) (local.get $len) (local.get $out) (local.get $len) (local.get $d) (i32.const 2) (i32.const 0) (local.get $inp))))
    ;; the odd last row
    (if (i32.lt_s (local.get $r) (local.get $nr))
      (then
        (local.set $o0 (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rl))))
        (call $rcScale (local.get $o0) (i32.add (local.get $inp) (i32.mul (local.get $r) (local.get $rl))) (local.get $d) (local.get $len))
        (local.set $s (i32.const 0))
        (block $g4done
          (loop $g4
            (br_if $g4done (i32.gt_s (i32.add (local.get $s) (i32.const 4)) (local.get $ns)))
            (call $rc1x4 (local.get $o0)
              (call $coef (local.get $C) (local.get $cr) (local.get $cs) (local.get $r) (local.get $s))
              (call $coef (local.get $C) (local.get $cr) (local.get $cs) (local.get $r) (i32.add (local.get $s) (i32.const 1)))
              (call $coef (local.get $C) (local.get $cr) (local.get $cs) (local.get $r) (i32.add (local.get $s) (i32.const 2)))
              (call $coef (local.get $C) (local.get $cr) (local.get $cs) (local.get $r) (i32.add (local.get $s) (i32.const 3)))
              (i32.add (local.get $src) (i32.mul (local.get $s) (local.get $rl))) (local.get $rl) (local.get $len))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (br $g4)))
        (block $g1done
          (loop $g1
            (br_if $g1done (i32.ge_s (local.get $s) (local.get $ns)))
            (call $rc1x1 (local.get $o0)
              (call $coef (local.get $C) (local.get $cr) (local.get $cs) (local.get $r) (local.get $s))
              (i32.add (local.get $src) (i32.mul (local.get $s) (local.get $rl))) (local.get $len))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $g1))))))

  ;; ---------------------------------------------------------------------------------------
  ;; mbAccumulate: linear2's minibatch sum (../linear2.ts), for s < b, r = perm[s]:
  ;;   e_c = Y[r, c] − dot(X row r, Pᵀ row c)   (dot: linalg.ts's four sums s₀..s₃ over t mod 4,
  ;;         the tail into s₀, then (s₀ + s₁) + (s₂ + s₃); here s₀s₁ and s₂s₃ are two f64x2)
  ;;   bl += e_c²;  e_c += sd·G[s·k + c] when G ≠ 0 (the label noise, drawn beforehand in the
  ;;   order the scalar loop draws it);  Mᵀ[c, ·] += e_c·X[r, ·]  (elementwise, lanes along p)
  ;; X n×p, Y n×k, perm f64 indices, Pᵀ and Mᵀ k×p, res k (scratch). Returns bl.
  ;; ---------------------------------------------------------------------------------------
  (func (export "mbAccumulate") (param $X i32) (param $Y i32) (param $perm i32) (param $b i32)
                                (param $p i32) (param $k i32) (param $Pt i32) (param $Mt i32)
                                (param $G i32) (param $sd f64) (param $res i32) (result f64)
    (local $s i32) (local $c i32) (local $xr i32) (local $yr i32) (local $pc i32) (local $t i32)
    (local $pb i32) (local $end4 i32) (local $end2 i32) (local $mc i32)
    (local $v0 v128) (local $v1 v128) (local $ev v128)
    (local $s0 f64) (local $e f64) (local $bl f64)
    (local.set $pb (i32.shl (local.get $p) (i32.const 3)))
    (local.set $end4 (i32.shl (i32.and (local.get $p) (i32.const -4)) (i32.const 3)))
    (local.set $end2 (i32.shl (i32.and (local.get $p) (i32.const -2)) (i32.const 3)))
    (block $samplesDone
      (loop $samples
        (br_if $samplesDone (i32.ge_s (local.get $s) (local.get $b)))
        (local.set $xr (i32.add (local.get $X) (i32.mul
          (i32.trunc_f64_u (f64.load (i32.add (local.get $perm) (i32.shl (local.get $s) (i32.const 3)))))
          (local.get $pb))))
        (local.set $yr (i32.add (local.get $Y) (i32.shl (i32.mul
          (i32.trunc_f64_u (f64.load (i32.add (local.get $perm) (i32.shl (local.get $s) (i32.const 3)))))
          (local.get $k)) (i32.const 3))))
        ;; the residuals of sample r
        (local.set $c (i32.const 0))
        (block $resDone
          (loop $resid
            (br_if $resDone (i32.ge_s (local.get $c) (local.get $k)))
            (local.set $pc (i32.add (local.get $Pt) (i32.mul (local.get $c) (local.get $pb))))
            (local.set $v0 (v128.const i64x2 0 0))
            (local.set $v1 (v128.const i64x2 0 0))
            (local.set $t (i32.const 0))
            (block $d4done
              (loop $d4
                (br_if $d4done (i32.ge_s (local.get $t) (local.get $end4)))
                (local.set $v0 (f64x2.add (local.get $v0) (f64x2.mul
                  (v128.load (i32.add (local.get $xr) (local.get $t))) (v128.load (i32.add (local.get $pc) (local.get $t))))))
                (local.set $v1 (f64x2.add (local.get $v1) (f64x2.mul
                  (v128.load offset=16 (i32.add (local.get $xr) (local.get $t))) (v128.load offset=16 (i32.add (local.get $pc) (local.get $t))))))
                (local.set $t (i32.add (local.get $t) (i32.const 32)))
                (br $d4)))
            (local.set $s0 (f64x2.extract_lane 0 (local.get $v0)))
            (block $tailDone
              (loop $tail
                (br_if $tailDone (i32.ge_s (local.get $t) (local.get $pb)))
                (local.set $s0 (f64.add (local.get $s0) (f64.mul
                  (f64.load (i32.add (local.get $xr) (local.get $t))) (f64.load (i32.add (local.get $pc) (local.get $t))))))
                (local.set $t (i32.add (local.get $t) (i32.const 8)))
                (br $tail)))
            (local.set $e (f64.sub (f64.load (i32.add (local.get $yr) (i32.shl (local.get $c) (i32.const 3))))
              (f64.add (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $v0)))
                       (f64.add (f64x2.extract_lane 0 (local.get $v1)) (f64x2.extract_lane 1 (local.get $v1))))))
            (local.set $bl (f64.add (local.get $bl) (f64.mul (local.get $e) (local.get $e))))
            (if (local.get $G)
              (then
                (local.set $e (f64.add (local.get $e) (f64.mul (local.get $sd)
                  (f64.load (i32.add (local.get $G) (i32.shl (i32.add (i32.mul (local.get $s) (local.get $k)) (local.get $c)) (i32.const 3)))))))))
            (f64.store (i32.add (local.get $res) (i32.shl (local.get $c) (i32.const 3))) (local.get $e))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $resid)))
        ;; Mᵀ[c, ·] += e_c·X[r, ·]
        (local.set $c (i32.const 0))
        (block $updDone
          (loop $upd
            (br_if $updDone (i32.ge_s (local.get $c) (local.get $k)))
            (local.set $e (f64.load (i32.add (local.get $res) (i32.shl (local.get $c) (i32.const 3)))))
            (local.set $ev (f64x2.splat (local.get $e)))
            (local.set $mc (i32.add (local.get $Mt) (i32.mul (local.get $c) (local.get $pb))))
            (local.set $t (i32.const 0))
            (block $axDone
              (loop $ax
                (br_if $axDone (i32.ge_s (local.get $t) (local.get $end2)))
                (v128.store (i32.add (local.get $mc) (local.get $t)) (f64x2.add (v128.load (i32.add (local.get $mc) (local.get $t)))
                  (f64x2.mul (local.get $ev) (v128.load (i32.add (local.get $xr) (local.get $t))))))
                (local.set $t (i32.add (local.get $t) (i32.const 16)))
                (br $ax)))
            (if (i32.lt_s (local.get $t) (local.get $pb))
              (then
                (f64.store (i32.add (local.get $mc) (local.get $t)) (f64.add (f64.load (i32.add (local.get $mc) (local.get $t)))
                  (f64.mul (local.get $e) (f64.load (i32.add (local.get $xr) (local.get $t))))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $upd)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $samples)))
    (local.get $bl))

  ;; ---------------------------------------------------------------------------------------
  ;; log: fdlibm's __ieee754_log (e_log.c), the algorithm of V8's Math.log (base/ieee754.cc),
  ;; operation for operation (no FMA), so the bits equal Math.log's: the noise below must give
  ;; the bits of Rng.gauss. test/core/numeric/wasm.test.ts compares them on many inputs.
  ;; ---------------------------------------------------------------------------------------
  (func $log (export "log") (param $x f64) (result f64)
    (local $bits i64) (local $hx i32) (local $lx i32) (local $k i32) (local $i i32) (local $j i32)
    (local $f f64) (local $s f64) (local $z f64) (local $w f64) (local $R f64)
    (local $t1 f64) (local $t2 f64) (local $dk f64) (local $hfsq f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $hx (i32.wrap_i64 (i64.shr_s (local.get $bits) (i64.const 32))))
    (local.set $lx (i32.wrap_i64 (local.get $bits)))
    (if (i32.lt_s (local.get $hx) (i32.const 0x00100000)) ;; x < 2^-1022
      (then
        (if (i32.eqz (i32.or (i32.and (local.get $hx) (i32.const 0x7fffffff)) (local.get $lx)))
          (then (return (f64.const -inf)))) ;; log(±0) = −∞
        (if (i32.lt_s (local.get $hx) (i32.const 0))
          (then (return (f64.div (f64.sub (local.get $x) (local.get $x)) (f64.const 0))))) ;; log(−x) = NaN
        (local.set $k (i32.const -54)) ;; subnormal: scale up by 2^54
        (local.set $x (f64.mul (local.get $x) (f64.const 1.80143985094819840000e+16)))
        (local.set $bits (i64.reinterpret_f64 (local.get $x)))
        (local.set $hx (i32.wrap_i64 (i64.shr_s (local.get $bits) (i64.const 32))))))
    (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000)) (then (return (f64.add (local.get $x) (local.get $x)))))
    (local.set $k (i32.add (local.get $k) (i32.sub (i32.shr_s (local.get $hx) (i32.const 20)) (i32.const 1023))))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x000fffff)))
    (local.set $i (i32.and (i32.add (local.get $hx) (i32.const 0x95f64)) (i32.const 0x100000)))
    ;; normalise x or x/2 into [√2/2, √2): SET_HIGH_WORD(x, hx | (i ^ 0x3ff00000))
    (local.set $x (f64.reinterpret_i64 (i64.or
      (i64.shl (i64.extend_i32_u (i32.or (local.get $hx) (i32.xor (local.get $i) (i32.const 0x3ff00000)))) (i64.const 32))
      (i64.and (local.get $bits) (i64.const 0xffffffff)))))
    (local.set $k (i32.add (local.get $k) (i32.shr_s (local.get $i) (i32.const 20))))
    (local.set $f (f64.sub (local.get $x) (f64.const 1)))
    (if (i32.lt_s (i32.and (i32.const 0x000fffff) (i32.add (i32.const 2) (local.get $hx))) (i32.const 3)) ;; |f| < 2^-20
      (then
        (if (f64.eq (local.get $f) (f64.const 0))
          (then
            (if (i32.eqz (local.get $k)) (then (return (f64.const 0))))
            (local.set $dk (f64.convert_i32_s (local.get $k)))
            (return (f64.add (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01)) (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))))))
        (local.set $R (f64.mul (f64.mul (local.get $f) (local.get $f))
          (f64.sub (f64.const 0.5) (f64.mul (f64.const 0.33333333333333333) (local.get $f)))))
        (if (i32.eqz (local.get $k)) (then (return (f64.sub (local.get $f) (local.get $R)))))
        (local.set $dk (f64.convert_i32_s (local.get $k)))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
          (f64.sub (f64.sub (local.get $R) (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))) (local.get $f))))))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $i (i32.sub (local.get $hx) (i32.const 0x6147a)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $j (i32.sub (i32.const 0x6b851) (local.get $hx)))
    (local.set $t1 (f64.mul (local.get $w) (f64.add (f64.const 3.999999999940941908e-01)
      (f64.mul (local.get $w) (f64.add (f64.const 2.222219843214978396e-01) (f64.mul (local.get $w) (f64.const 1.531383769920937332e-01)))))))
    (local.set $t2 (f64.mul (local.get $z) (f64.add (f64.const 6.666666666666735130e-01)
      (f64.mul (local.get $w) (f64.add (f64.const 2.857142874366239149e-01)
        (f64.mul (local.get $w) (f64.add (f64.const 1.818357216161805012e-01) (f64.mul (local.get $w) (f64.const 1.479819860511658591e-01)))))))))
    (local.set $i (i32.or (local.get $i) (local.get $j)))
    (local.set $R (f64.add (local.get $t2) (local.get $t1)))
    (if (result f64) (i32.gt_s (local.get $i) (i32.const 0))
      (then
        (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
        (if (result f64) (i32.eqz (local.get $k))
          (then (f64.sub (local.get $f) (f64.sub (local.get $hfsq) (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R))))))
          (else (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
            (f64.sub (f64.sub (local.get $hfsq) (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R)))
              (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10)))) (local.get $f))))))
      (else
        (if (result f64) (i32.eqz (local.get $k))
          (then (f64.sub (local.get $f) (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $R)))))
          (else (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
            (f64.sub (f64.sub (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $R)))
              (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))) (local.get $f))))))))

  ;; ---------------------------------------------------------------------------------------
  ;; gaussPairs: the next `pairs` pairs (u·f, v·f) of Rng.gauss() (Marsaglia's polar method,
  ;; f = √(−2·log s / s), s = u² + v²), in two passes instead of one pair at a time:
  ;;  1. the attempts: four xoshiro128** outputs each give (u, v), stored at the next free pair
  ;;     of out; the pointer moves on only when 0 < s < 1 (a rejected attempt is overwritten by
  ;;     the next): the same attempts in the same order as the scalar loop, no branch on s, and
  ;;     the stream stops after the attempt that completes the last pair;
  ;;  2. two pairs per f64x2: s = u·u + v·v, fdlibm's log (logx2), f, (u·f, v·f) in place.
  ;; Same operations per value as gaussFill's loop, so the same bits. Measured (bench/stepParts.ts,
  ;; CPU µs, min of 9): 250 draws 3.9 → 2.5, 1000 draws 15.5 → 9.8 (one pair at a time before:
  ;; a mispredicted branch on each rejection, and each pair's log, division and square root
  ;; waiting on the previous pair's).
  ;; ---------------------------------------------------------------------------------------
  (func $gaussPairs (param $st i32) (param $out i32) (param $pairs i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $m i32) (local $t i32)
    (local $n0 i32) (local $n1 i32) (local $n2 i32) (local $n3 i32) (local $r i32) (local $a i32)
    (local $u f64) (local $v f64) (local $s f64) (local $x f64) (local $f f64)
    (local $w i32) (local $end i32)
    (local $A v128) (local $B v128) (local $U v128) (local $V v128) (local $S v128) (local $F v128)
    (local.set $s0 (i32.load (local.get $st)))
    (local.set $s1 (i32.load offset=4 (local.get $st)))
    (local.set $s2 (i32.load offset=8 (local.get $st)))
    (local.set $s3 (i32.load offset=12 (local.get $st)))
    (local.set $w (local.get $out))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $pairs) (i32.const 4))))
    (block $done
      (loop $attempt
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        ;; u from outputs 1, 2; v from outputs 3, 4 (x = 2·((a·2²⁶ + b)·2⁻⁵³) − 1, as gaussFill)
        (local.set $m (i32.mul (local.get $s1) (i32.const 5)))
        (local.set $r (i32.mul (i32.rotl (local.get $m) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $n2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $n3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $n1 (i32.xor (local.get $s1) (local.get $n2)))
        (local.set $n0 (i32.xor (local.get $s0) (local.get $n3)))
        (local.set $s0 (local.get $n0))
        (local.set $s1 (local.get $n1))
        (local.set $s2 (i32.xor (local.get $n2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $n3) (i32.const 11)))
        (local.set $a (i32.shr_u (local.get $r) (i32.const 5)))
        (local.set $m (i32.mul (local.get $s1) (i32.const 5)))
        (local.set $r (i32.mul (i32.rotl (local.get $m) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $n2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $n3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $n1 (i32.xor (local.get $s1) (local.get $n2)))
        (local.set $n0 (i32.xor (local.get $s0) (local.get $n3)))
        (local.set $s0 (local.get $n0))
        (local.set $s1 (local.get $n1))
        (local.set $s2 (i32.xor (local.get $n2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $n3) (i32.const 11)))
        (local.set $u (f64.sub (f64.mul (f64.const 2)
          (f64.mul (f64.add (f64.mul (f64.convert_i32_u (local.get $a)) (f64.const 67108864))
                            (f64.convert_i32_u (i32.shr_u (local.get $r) (i32.const 6))))
                   (f64.const 0x1p-53)))
          (f64.const 1)))
        (local.set $m (i32.mul (local.get $s1) (i32.const 5)))
        (local.set $r (i32.mul (i32.rotl (local.get $m) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $n2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $n3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $n1 (i32.xor (local.get $s1) (local.get $n2)))
        (local.set $n0 (i32.xor (local.get $s0) (local.get $n3)))
        (local.set $s0 (local.get $n0))
        (local.set $s1 (local.get $n1))
        (local.set $s2 (i32.xor (local.get $n2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $n3) (i32.const 11)))
        (local.set $a (i32.shr_u (local.get $r) (i32.const 5)))
        (local.set $m (i32.mul (local.get $s1) (i32.const 5)))
        (local.set $r (i32.mul (i32.rotl (local.get $m) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $n2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $n3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $n1 (i32.xor (local.get $s1) (local.get $n2)))
        (local.set $n0 (i32.xor (local.get $s0) (local.get $n3)))
        (local.set $s0 (local.get $n0))
        (local.set $s1 (local.get $n1))
        (local.set $s2 (i32.xor (local.get $n2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $n3) (i32.const 11)))
        (local.set $v (f64.sub (f64.mul (f64.const 2)
          (f64.mul (f64.add (f64.mul (f64.convert_i32_u (local.get $a)) (f64.const 67108864))
                            (f64.convert_i32_u (i32.shr_u (local.get $r) (i32.const 6))))
                   (f64.const 0x1p-53)))
          (f64.const 1)))
        (f64.store (local.get $w) (local.get $u))
        (f64.store offset=8 (local.get $w) (local.get $v))
        (local.set $s (f64.add (f64.mul (local.get $u) (local.get $u)) (f64.mul (local.get $v) (local.get $v))))
        (local.set $w (i32.add (local.get $w) (i32.shl
          (i32.and (f64.lt (local.get $s) (f64.const 1)) (f64.ne (local.get $s) (f64.const 0))) (i32.const 4))))
        (br $attempt)))
    (i32.store (local.get $st) (local.get $s0))
    (i32.store offset=4 (local.get $st) (local.get $s1))
    (i32.store offset=8 (local.get $st) (local.get $s2))
    (i32.store offset=12 (local.get $st) (local.get $s3))
    ;; pass 2: f for two pairs at once
    (local.set $w (local.get $out))
    (local.set $end (i32.add (local.get $out) (i32.shl (i32.and (local.get $pairs) (i32.const -2)) (i32.const 4))))
    (block $vdone
      (loop $vec
        (br_if $vdone (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $A (v128.load (local.get $w)))
        (local.set $B (v128.load offset=16 (local.get $w)))
        (local.set $U (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $A) (local.get $B)))
        (local.set $V (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $A) (local.get $B)))
        (local.set $S (f64x2.add (f64x2.mul (local.get $U) (local.get $U)) (f64x2.mul (local.get $V) (local.get $V))))
        (local.set $F (f64x2.sqrt (f64x2.div (f64x2.mul (f64x2.splat (f64.const -2)) (call $logx2 (local.get $S))) (local.get $S))))
        (v128.store (local.get $w) (f64x2.mul (local.get $A) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $F) (local.get $F))))
        (v128.store offset=16 (local.get $w) (f64x2.mul (local.get $B) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $F) (local.get $F))))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (br $vec)))
    (if (i32.and (local.get $pairs) (i32.const 1))
      (then
        (local.set $u (f64.load (local.get $w)))
        (local.set $v (f64.load offset=8 (local.get $w)))
        (local.set $s (f64.add (f64.mul (local.get $u) (local.get $u)) (f64.mul (local.get $v) (local.get $v))))
        (local.set $f (f64.sqrt (f64.div (f64.mul (f64.const -2) (call $log (local.get $s))) (local.get $s))))
        (f64.store (local.get $w) (f64.mul (local.get $u) (local.get $f)))
        (f64.store offset=8 (local.get $w) (f64.mul (local.get $v) (local.get $f))))))

  ;; ---------------------------------------------------------------------------------------
  ;; logx2: $log on both lanes, for 2⁻¹⁰²² ≤ x < ∞ (the polar method's s ∈ [2⁻¹⁰⁴, 1)): e_log.c's
  ;; main path with its four final forms (i > 0 or not, k = 0 or not) all computed and the
  ;; lane's own one selected, the same operations as $log's branch per lane. A lane outside
  ;; that path (|f| < 2⁻²⁰: x within ~2⁻²⁰ of a power of two; or x subnormal, ≤ 0, ∞, NaN)
  ;; takes $log itself.
  ;; ---------------------------------------------------------------------------------------
  ;; x[t] = log(x[t]) for t < n (n even) by logx2 (tests: each lane = Math.log, bit for bit)
  (func (export "logPairs") (param $x i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $x) (call $logx2 (v128.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $l))))

  (func $logx2 (param $x v128) (result v128)
    (local $hx v128) (local $k v128) (local $i v128) (local $odd v128) (local $mk v128) (local $mi v128)
    (local $f v128) (local $s v128) (local $z v128) (local $w v128) (local $R v128) (local $t1 v128) (local $t2 v128)
    (local $dk v128) (local $hfsq v128) (local $sR v128)
    ;; the integer work on the high words, as i32x4 lanes (hx₀, hx₁, hx₀, hx₁): e_log.c's ints
    (local.set $hx (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $x) (local.get $x)))
    ;; outside the main path: hx < 0x00100000 (subnormal, ±0, negative), hx ≥ 0x7ff00000 (∞, NaN)
    (local.set $odd (v128.or (i32x4.lt_s (local.get $hx) (i32x4.splat (i32.const 0x00100000)))
                             (i32x4.ge_s (local.get $hx) (i32x4.splat (i32.const 0x7ff00000)))))
    (local.set $k (i32x4.sub (i32x4.shr_s (local.get $hx) (i32.const 20)) (i32x4.splat (i32.const 1023))))
    (local.set $hx (v128.and (local.get $hx) (i32x4.splat (i32.const 0x000fffff))))
    (local.set $i (v128.and (i32x4.add (local.get $hx) (i32x4.splat (i32.const 0x95f64))) (i32x4.splat (i32.const 0x100000))))
    ;; |f| < 2⁻²⁰: (0x000fffff & (2 + hx)) < 3
    (local.set $odd (v128.or (local.get $odd)
      (i32x4.lt_s (v128.and (i32x4.add (local.get $hx) (i32x4.splat (i32.const 2))) (i32x4.splat (i32.const 0x000fffff))) (i32x4.splat (i32.const 3)))))
    (if (v128.any_true (local.get $odd))
      (then
        (return (f64x2.replace_lane 1
          (f64x2.splat (call $log (f64x2.extract_lane 0 (local.get $x))))
          (call $log (f64x2.extract_lane 1 (local.get $x)))))))
    ;; x or x/2 in [√2/2, √2): the high words hx | (i ^ 0x3ff00000) under the low words of x
    (local.set $f (f64x2.sub
      (i8x16.shuffle 0 1 2 3 16 17 18 19 8 9 10 11 20 21 22 23 (local.get $x)
        (v128.or (local.get $hx) (v128.xor (local.get $i) (i32x4.splat (i32.const 0x3ff00000)))))
      (f64x2.splat (f64.const 1))))
    (local.set $k (i32x4.add (local.get $k) (i32x4.shr_s (local.get $i) (i32.const 20))))
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (f64x2.splat (f64.const 2)) (local.get $f))))
    (local.set $dk (f64x2.convert_low_i32x4_s (local.get $k)))
    (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
    (local.set $t1 (f64x2.mul (local.get $w) (f64x2.add (f64x2.splat (f64.const 3.999999999940941908e-01))
      (f64x2.mul (local.get $w) (f64x2.add (f64x2.splat (f64.const 2.222219843214978396e-01)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 1.531383769920937332e-01))))))))
    (local.set $t2 (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const 6.666666666666735130e-01))
      (f64x2.mul (local.get $w) (f64x2.add (f64x2.splat (f64.const 2.857142874366239149e-01))
        (f64x2.mul (local.get $w) (f64x2.add (f64x2.splat (f64.const 1.818357216161805012e-01)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 1.479819860511658591e-01))))))))))
    ;; the branch masks i > 0 (i = (hx − 0x6147a) | (0x6b851 − hx)) and k = 0, widened to the f64 lanes
    (local.set $mi (i32x4.gt_s (v128.or (i32x4.sub (local.get $hx) (i32x4.splat (i32.const 0x6147a)))
                                        (i32x4.sub (i32x4.splat (i32.const 0x6b851)) (local.get $hx))) (v128.const i32x4 0 0 0 0)))
    (local.set $mi (i8x16.shuffle 0 1 2 3 0 1 2 3 4 5 6 7 4 5 6 7 (local.get $mi) (local.get $mi)))
    (local.set $mk (i32x4.eq (local.get $k) (v128.const i32x4 0 0 0 0)))
    (local.set $mk (i8x16.shuffle 0 1 2 3 0 1 2 3 4 5 6 7 4 5 6 7 (local.get $mk) (local.get $mk)))
    (local.set $R (f64x2.add (local.get $t2) (local.get $t1)))
    (local.set $hfsq (f64x2.mul (f64x2.mul (f64x2.splat (f64.const 0.5)) (local.get $f)) (local.get $f)))
    (local.set $sR (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $R))))
    (local.set $w (f64x2.mul (local.get $s) (f64x2.sub (local.get $f) (local.get $R))))
    (v128.bitselect
      ;; i > 0
      (v128.bitselect
        (f64x2.sub (local.get $f) (f64x2.sub (local.get $hfsq) (local.get $sR)))
        (f64x2.sub (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 6.93147180369123816490e-01)))
          (f64x2.sub (f64x2.sub (local.get $hfsq) (f64x2.add (local.get $sR)
            (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 1.90821492927058770002e-10))))) (local.get $f)))
        (local.get $mk))
      ;; i ≤ 0
      (v128.bitselect
        (f64x2.sub (local.get $f) (local.get $w))
        (f64x2.sub (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 6.93147180369123816490e-01)))
          (f64x2.sub (f64x2.sub (local.get $w)
            (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 1.90821492927058770002e-10)))) (local.get $f)))
        (local.get $mk))
      (local.get $mi)))

  ;; ---------------------------------------------------------------------------------------
  ;; gaussFill: out[t] for t < n, the next n values of Rng.gauss() (../rng.ts): xoshiro128**
  ;; uniforms (a·2²⁶ + b)/2⁵³ and Marsaglia's polar method, the same operations in the same
  ;; order, with the stream state at st: s0..s3 (u32 at st..st+15), hasSpare (i32 at st+16),
  ;; spare (f64 at st+24), read and written back.
  ;; ---------------------------------------------------------------------------------------
  (func (export "gaussFill") (param $st i32) (param $out i32) (param $n i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $m i32) (local $t i32)
    (local $n0 i32) (local $n1 i32) (local $n2 i32) (local $n3 i32)
    (local $r i32) (local $d i32) (local $a i32)
    (local $has i32) (local $spare f64) (local $u f64) (local $v f64) (local $s f64) (local $f f64) (local $x f64)
    (local $end i32) (local $pairs i32)
    ;; a spare first, then the whole pairs in bulk (gaussPairs); the loop below draws what is
    ;; left (at most one value: its pair's second becomes the spare)
    (if (i32.and (i32.gt_s (local.get $n) (i32.const 0)) (i32.ne (i32.load offset=16 (local.get $st)) (i32.const 0)))
      (then
        (f64.store (local.get $out) (f64.load offset=24 (local.get $st)))
        (i32.store offset=16 (local.get $st) (i32.const 0))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.set $pairs (i32.shr_u (local.get $n) (i32.const 1)))
    (if (local.get $pairs)
      (then
        (call $gaussPairs (local.get $st) (local.get $out) (local.get $pairs))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $pairs) (i32.const 4))))
        ;; Rng keeps its last spare (the last pair's v·f) with hasSpare = 0: the state is compared
        (f64.store offset=24 (local.get $st) (f64.load (i32.sub (local.get $out) (i32.const 8))))
        (local.set $n (i32.sub (local.get $n) (i32.shl (local.get $pairs) (i32.const 1))))))
    (local.set $s0 (i32.load (local.get $st)))
    (local.set $s1 (i32.load offset=4 (local.get $st)))
    (local.set $s2 (i32.load offset=8 (local.get $st)))
    (local.set $s3 (i32.load offset=12 (local.get $st)))
    (local.set $has (i32.load offset=16 (local.get $st)))
    (local.set $spare (f64.load offset=24 (local.get $st)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (if (local.get $has)
          (then
            (local.set $has (i32.const 0))
            (f64.store (local.get $out) (local.get $spare)))
          (else
            (loop $attempt
              ;; four xoshiro128** outputs: u's (a, b), then v's (a, b)
              (local.set $d (i32.const 0))
              (loop $draw
                (local.set $m (i32.mul (local.get $s1) (i32.const 5)))
                (local.set $r (i32.mul (i32.rotl (local.get $m) (i32.const 7)) (i32.const 9)))
                (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
                (local.set $n2 (i32.xor (local.get $s2) (local.get $s0)))
                (local.set $n3 (i32.xor (local.get $s3) (local.get $s1)))
                (local.set $n1 (i32.xor (local.get $s1) (local.get $n2)))
                (local.set $n0 (i32.xor (local.get $s0) (local.get $n3)))
                (local.set $s0 (local.get $n0))
                (local.set $s1 (local.get $n1))
                (local.set $s2 (i32.xor (local.get $n2) (local.get $t)))
                (local.set $s3 (i32.rotl (local.get $n3) (i32.const 11)))
                (if (i32.and (local.get $d) (i32.const 1))
                  (then
                    ;; uniform = (a·2²⁶ + b)/2⁵³, a = first >>> 5, b = second >>> 6; x = 2·uniform − 1.
                    ;; ·2⁻⁵³ for /2⁵³: a power of two on an integer < 2⁵³, exact either way (same bits)
                    (local.set $x (f64.sub (f64.mul (f64.const 2)
                      (f64.mul (f64.add (f64.mul (f64.convert_i32_u (local.get $a)) (f64.const 67108864))
                                        (f64.convert_i32_u (i32.shr_u (local.get $r) (i32.const 6))))
                               (f64.const 0x1p-53)))
                      (f64.const 1)))
                    (if (i32.eq (local.get $d) (i32.const 1))
                      (then (local.set $u (local.get $x)))
                      (else (local.set $v (local.get $x)))))
                  (else (local.set $a (i32.shr_u (local.get $r) (i32.const 5)))))
                (local.set $d (i32.add (local.get $d) (i32.const 1)))
                (br_if $draw (i32.lt_u (local.get $d) (i32.const 4))))
              (local.set $s (f64.add (f64.mul (local.get $u) (local.get $u)) (f64.mul (local.get $v) (local.get $v))))
              (br_if $attempt (i32.or (f64.ge (local.get $s) (f64.const 1)) (f64.eq (local.get $s) (f64.const 0)))))
            (local.set $f (f64.sqrt (f64.div (f64.mul (f64.const -2) (call $log (local.get $s))) (local.get $s))))
            (local.set $spare (f64.mul (local.get $v) (local.get $f)))
            (local.set $has (i32.const 1))
            (f64.store (local.get $out) (f64.mul (local.get $u) (local.get $f)))))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (br $each)))
    (i32.store (local.get $st) (local.get $s0))
    (i32.store offset=4 (local.get $st) (local.get $s1))
    (i32.store offset=8 (local.get $st) (local.get $s2))
    (i32.store offset=12 (local.get $st) (local.get $s3))
    (i32.store offset=16 (local.get $st) (local.get $has))
    (f64.store offset=24 (local.get $st) (local.get $spare)))

  ;; ---------------------------------------------------------------------------------------
  ;; peak: n rounds of 6 independent f64x2 multiplies (pᵢ ← pᵢ·m) and 6 independent adds
  ;; (sᵢ ← sᵢ + pᵢ) on registers, no memory traffic: the rate this engine reaches with f64x2
  ;; mul + add (no FMA), the bench's "peak" column. 24 flops per round.
  ;; ---------------------------------------------------------------------------------------
  ;; lqApply: one Householder reflection of ../linalg.ts lqRows (a record's log det LQ), on a
  ;; column-major copy W[t·m + i] (i < m rows, t < len): with v_t = W[t, j] (t ≥ j, the reflector
  ;; in row j), for each row i > j
  ;;   s_i = Σ_{t=j}^{len−1} v_t·W[t, i] (from +0, t ascending), f_i = (2·s_i)/vtv,
  ;;   W[t, i] = W[t, i] − f_i·v_t
  ;; — the scalar loop's chain for each row. Lanes hold two neighbouring rows (contiguous in this
  ;; layout), never two partial sums of one row: the same bits. Rows in blocks of 8, 2, then 1.
  ;; ---------------------------------------------------------------------------------------
  (func (export "lqApply") (param $W i32) (param $m i32) (param $len i32) (param $j i32) (param $vtv f64)
    (local $i i32) (local $t i32) (local $rs i32) (local $v0 i32) (local $vp i32) (local $wp i32)
    (local $x v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $two v128) (local $vv v128) (local $s f64) (local $f f64) (local $xs f64)
    (local.set $rs (i32.shl (local.get $m) (i32.const 3)))
    (local.set $two (f64x2.splat (f64.const 2)))
    (local.set $vv (f64x2.splat (local.get $vtv)))
    ;; byte address of W[j, j] (row t = j of the column-major array, column j)
    (local.set $v0 (i32.add (local.get $W) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $m)) (local.get $j)) (i32.const 3))))
    (local.set $i (i32.add (local.get $j) (i32.const 1)))
    (block $b8done
      (loop $b8
        (br_if $b8done (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (local.get $m)))
        (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0)) (local.set $a3 (v128.const f64x2 0 0))
        (local.set $vp (local.get $v0))
        (local.set $wp (i32.add (local.get $v0) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3))))
        (local.set $t (local.get $j))
        (loop $d
          (local.set $x (v128.load64_splat (local.get $vp)))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $x) (v128.load (local.get $wp)))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $x) (v128.load offset=16 (local.get $wp)))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $x) (v128.load offset=32 (local.get $wp)))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $x) (v128.load offset=48 (local.get $wp)))))
          (local.set $vp (i32.add (local.get $vp) (local.get $rs)))
          (local.set $wp (i32.add (local.get $wp) (local.get $rs)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $d (i32.lt_s (local.get $t) (local.get $len))))
        (local.set $a0 (f64x2.div (f64x2.mul (local.get $two) (local.get $a0)) (local.get $vv)))
        (local.set $a1 (f64x2.div (f64x2.mul (local.get $two) (local.get $a1)) (local.get $vv)))
        (local.set $a2 (f64x2.div (f64x2.mul (local.get $two) (local.get $a2)) (local.get $vv)))
        (local.set $a3 (f64x2.div (f64x2.mul (local.get $two) (local.get $a3)) (local.get $vv)))
        (local.set $vp (local.get $v0))
        (local.set $wp (i32.add (local.get $v0) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3))))
        (local.set $t (local.get $j))
        (loop $u
          (local.set $x (v128.load64_splat (local.get $vp)))
          (v128.store (local.get $wp) (f64x2.sub (v128.load (local.get $wp)) (f64x2.mul (local.get $a0) (local.get $x))))
          (v128.store offset=16 (local.get $wp) (f64x2.sub (v128.load offset=16 (local.get $wp)) (f64x2.mul (local.get $a1) (local.get $x))))
          (v128.store offset=32 (local.get $wp) (f64x2.sub (v128.load offset=32 (local.get $wp)) (f64x2.mul (local.get $a2) (local.get $x))))
          (v128.store offset=48 (local.get $wp) (f64x2.sub (v128.load offset=48 (local.get $wp)) (f64x2.mul (local.get $a3) (local.get $x))))
          (local.set $vp (i32.add (local.get $vp) (local.get $rs)))
          (local.set $wp (i32.add (local.get $wp) (local.get $rs)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $u (i32.lt_s (local.get $t) (local.get $len))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $b8)))
    (block $b2done
      (loop $b2
        (br_if $b2done (i32.gt_s (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $vp (local.get $v0))
        (local.set $wp (i32.add (local.get $v0) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3))))
        (local.set $t (local.get $j))
        (loop $d2
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load64_splat (local.get $vp)) (v128.load (local.get $wp)))))
          (local.set $vp (i32.add (local.get $vp) (local.get $rs)))
          (local.set $wp (i32.add (local.get $wp) (local.get $rs)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $d2 (i32.lt_s (local.get $t) (local.get $len))))
        (local.set $a0 (f64x2.div (f64x2.mul (local.get $two) (local.get $a0)) (local.get $vv)))
        (local.set $vp (local.get $v0))
        (local.set $wp (i32.add (local.get $v0) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3))))
        (local.set $t (local.get $j))
        (loop $u2
          (v128.store (local.get $wp) (f64x2.sub (v128.load (local.get $wp)) (f64x2.mul (local.get $a0) (v128.load64_splat (local.get $vp)))))
          (local.set $vp (i32.add (local.get $vp) (local.get $rs)))
          (local.set $wp (i32.add (local.get $wp) (local.get $rs)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $u2 (i32.lt_s (local.get $t) (local.get $len))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $b2)))
    (if (i32.lt_s (local.get $i) (local.get $m))
      (then
        (local.set $s (f64.const 0))
        (local.set $vp (local.get $v0))
        (local.set $wp (i32.add (local.get $v0) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3))))
        (local.set $t (local.get $j))
        (loop $d1
          (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $vp)) (f64.load (local.get $wp)))))
          (local.set $vp (i32.add (local.get $vp) (local.get $rs)))
          (local.set $wp (i32.add (local.get $wp) (local.get $rs)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $d1 (i32.lt_s (local.get $t) (local.get $len))))
        (local.set $f (f64.div (f64.mul (f64.const 2) (local.get $s)) (local.get $vtv)))
        (local.set $vp (local.get $v0))
        (local.set $wp (i32.add (local.get $v0) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3))))
        (local.set $t (local.get $j))
        (loop $u1
          (f64.store (local.get $wp) (f64.sub (f64.load (local.get $wp)) (f64.mul (local.get $f) (f64.load (local.get $vp)))))
          (local.set $vp (i32.add (local.get $vp) (local.get $rs)))
          (local.set $wp (i32.add (local.get $wp) (local.get $rs)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $u1 (i32.lt_s (local.get $t) (local.get $len)))))))

  ;; ---------------------------------------------------------------------------------------
  ;; gkLeft / gkRight: the two O(m·n) loops of one Golub–Kahan bidiagonalisation step k
  ;; (../svdValues.ts golubKahanValuesT, same operations in the same order: same bits) on `at`
  ;; (n×m row-major, row j = column j of the tall m×n matrix).
  ;; gkLeft: for j = k+1…n−1: t_j = −(Σ_{i=k}^{m−1} at[k,i]·at[j,i]) / at[k,k] (i ascending from
  ;;   +0), at[j,i] = at[j,i] + t_j·at[k,i]. Columns in pairs: the lanes are columns j and j+1
  ;;   (their two own sums; the pair loaded lane by lane), then the updates along i.
  ;; gkRight: work[i] = Σ_{j=k+1}^{n−1} e[j]·at[j,i] (j ascending from +0) for i > k, then
  ;;   at[j,i] = at[j,i] + (−e[j]/e[k+1])·work[i]: lanes along i (separate outputs).
  ;; ---------------------------------------------------------------------------------------
  (func $gkLeft (export "gkLeft") (param $at i32) (param $m i32) (param $n i32) (param $k i32)
    (local $j i32) (local $i i32) (local $rs i32) (local $rk i32) (local $r0 i32) (local $r1 i32)
    (local $acc v128) (local $tv v128) (local $t0 v128) (local $t1 v128) (local $x v128)
    (local $s f64) (local $akk f64)
    (local $r2 i32) (local $r3 i32) (local $r4 i32) (local $r5 i32) (local $r6 i32) (local $r7 i32) (local $o i32)
    (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $rs (i32.shl (local.get $m) (i32.const 3)))
    (local.set $rk (i32.mul (local.get $k) (local.get $rs)))
    (local.set $akk (f64.load (i32.add (local.get $at) (i32.add (local.get $rk) (i32.shl (local.get $k) (i32.const 3))))))
    (local.set $j (i32.add (local.get $k) (i32.const 1)))
    ;; eight columns per pass (four pairs, four add chains side by side: the pair loop alone waits
    ;; on one chain's add latency), then pairs, then one
    (block $qdone
      (loop $quads
        (br_if $qdone (i32.gt_s (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
        (local.set $r0 (i32.add (local.get $at) (i32.mul (local.get $j) (local.get $rs))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $rs)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $rs)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $rs)))
        (local.set $r4 (i32.add (local.get $r3) (local.get $rs)))
        (local.set $r5 (i32.add (local.get $r4) (local.get $rs)))
        (local.set $r6 (i32.add (local.get $r5) (local.get $rs)))
        (local.set $r7 (i32.add (local.get $r6) (local.get $rs)))
        (local.set $acc (v128.const f64x2 0 0)) (local.set $acc1 (v128.const f64x2 0 0))
        (local.set $acc2 (v128.const f64x2 0 0)) (local.set $acc3 (v128.const f64x2 0 0))
        (local.set $i (local.get $k))
        (loop $d8
          (local.set $o (i32.shl (local.get $i) (i32.const 3)))
          (local.set $x (v128.load64_splat (i32.add (local.get $at) (i32.add (local.get $rk) (local.get $o)))))
          (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $x)
            (v128.load64_lane 1 (i32.add (local.get $r1) (local.get $o)) (v128.load64_zero (i32.add (local.get $r0) (local.get $o)))))))
          (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $x)
            (v128.load64_lane 1 (i32.add (local.get $r3) (local.get $o)) (v128.load64_zero (i32.add (local.get $r2) (local.get $o)))))))
          (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul (local.get $x)
            (v128.load64_lane 1 (i32.add (local.get $r5) (local.get $o)) (v128.load64_zero (i32.add (local.get $r4) (local.get $o)))))))
          (local.set $acc3 (f64x2.add (local.get $acc3) (f64x2.mul (local.get $x)
            (v128.load64_lane 1 (i32.add (local.get $r7) (local.get $o)) (v128.load64_zero (i32.add (local.get $r6) (local.get $o)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $d8 (i32.lt_s (local.get $i) (local.get $m))))
        (local.set $tv (f64x2.div (f64x2.neg (local.get $acc)) (f64x2.splat (local.get $akk))))
        (call $axpy2 (local.get $r0) (local.get $r1) (i32.add (local.get $at) (local.get $rk))
          (f64x2.splat (f64x2.extract_lane 0 (local.get $tv))) (f64x2.splat (f64x2.extract_lane 1 (local.get $tv))) (local.get $k) (local.get $m))
        (local.set $tv (f64x2.div (f64x2.neg (local.get $acc1)) (f64x2.splat (local.get $akk))))
        (call $axpy2 (local.get $r2) (local.get $r3) (i32.add (local.get $at) (local.get $rk))
          (f64x2.splat (f64x2.extract_lane 0 (local.get $tv))) (f64x2.splat (f64x2.extract_lane 1 (local.get $tv))) (local.get $k) (local.get $m))
        (local.set $tv (f64x2.div (f64x2.neg (local.get $acc2)) (f64x2.splat (local.get $akk))))
        (call $axpy2 (local.get $r4) (local.get $r5) (i32.add (local.get $at) (local.get $rk))
          (f64x2.splat (f64x2.extract_lane 0 (local.get $tv))) (f64x2.splat (f64x2.extract_lane 1 (local.get $tv))) (local.get $k) (local.get $m))
        (local.set $tv (f64x2.div (f64x2.neg (local.get $acc3)) (f64x2.splat (local.get $akk))))
        (call $axpy2 (local.get $r6) (local.get $r7) (i32.add (local.get $at) (local.get $rk))
          (f64x2.splat (f64x2.extract_lane 0 (local.get $tv))) (f64x2.splat (f64x2.extract_lane 1 (local.get $tv))) (local.get $k) (local.get $m))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $quads)))
    (block $pdone
      (loop $pairs
        (br_if $pdone (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
        (local.set $r0 (i32.add (local.get $at) (i32.mul (local.get $j) (local.get $rs))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $rs)))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $i (local.get $k))
        (loop $d
          (local.set $x (v128.load64_splat (i32.add (local.get $at) (i32.add (local.get $rk) (i32.shl (local.get $i) (i32.const 3))))))
          (local.set $tv (v128.load64_zero (i32.add (local.get $r0) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $tv (v128.load64_lane 1 (i32.add (local.get $r1) (i32.shl (local.get $i) (i32.const 3))) (local.get $tv)))
          (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $x) (local.get $tv))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $d (i32.lt_s (local.get $i) (local.get $m))))
        (local.set $acc (f64x2.div (f64x2.neg (local.get $acc)) (f64x2.splat (local.get $akk))))
        (local.set $t0 (f64x2.splat (f64x2.extract_lane 0 (local.get $acc))))
        (local.set $t1 (f64x2.splat (f64x2.extract_lane 1 (local.get $acc))))
        (call $axpy2 (local.get $r0) (local.get $r1) (i32.add (local.get $at) (local.get $rk)) (local.get $t0) (local.get $t1) (local.get $k) (local.get $m))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_s (local.get $j) (local.get $n))
      (then
        (local.set $r0 (i32.add (local.get $at) (i32.mul (local.get $j) (local.get $rs))))
        (local.set $s (f64.const 0))
        (local.set $i (local.get $k))
        (loop $d1
          (local.set $s (f64.add (local.get $s)
            (f64.mul (f64.load (i32.add (local.get $at) (i32.add (local.get $rk) (i32.shl (local.get $i) (i32.const 3)))))
                     (f64.load (i32.add (local.get $r0) (i32.shl (local.get $i) (i32.const 3)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $d1 (i32.lt_s (local.get $i) (local.get $m))))
        (local.set $s (f64.div (f64.neg (local.get $s)) (local.get $akk)))
        (call $axpy2 (local.get $r0) (local.get $r0) (i32.add (local.get $at) (local.get $rk)) (f64x2.splat (local.get $s)) (v128.const f64x2 0 0) (local.get $k) (local.get $m)))))

  ;; y0[i] = y0[i] + t0·x[i] and (y1 ≠ y0) y1[i] = y1[i] + t1·x[i] for i = from…to−1 (t splat)
  (func $axpy2 (param $y0 i32) (param $y1 i32) (param $x i32) (param $t0 v128) (param $t1 v128) (param $from i32) (param $to i32)
    (local $i i32) (local $o i32) (local $xv v128) (local $two i32)
    (local.set $two (i32.ne (local.get $y0) (local.get $y1)))
    (local.set $i (local.get $from))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.gt_s (i32.add (local.get $i) (i32.const 2)) (local.get $to)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $o))))
        (v128.store (i32.add (local.get $y0) (local.get $o))
          (f64x2.add (v128.load (i32.add (local.get $y0) (local.get $o))) (f64x2.mul (local.get $t0) (local.get $xv))))
        (if (local.get $two)
          (then (v128.store (i32.add (local.get $y1) (local.get $o))
            (f64x2.add (v128.load (i32.add (local.get $y1) (local.get $o))) (f64x2.mul (local.get $t1) (local.get $xv))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $v)))
    (if (i32.lt_s (local.get $i) (local.get $to))
      (then
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $y0) (local.get $o))
          (f64.add (f64.load (i32.add (local.get $y0) (local.get $o)))
                   (f64.mul (f64x2.extract_lane 0 (local.get $t0)) (f64.load (i32.add (local.get $x) (local.get $o))))))
        (if (local.get $two)
          (then (f64.store (i32.add (local.get $y1) (local.get $o))
            (f64.add (f64.load (i32.add (local.get $y1) (local.get $o)))
                     (f64.mul (f64x2.extract_lane 0 (local.get $t1)) (f64.load (i32.add (local.get $x) (local.get $o)))))))))))

  (func $gkRight (export "gkRight") (param $at i32) (param $e i32) (param $work i32) (param $m i32) (param $n i32) (param $k i32)
    (local $j i32) (local $rs i32) (local $rj i32) (local $ek1 f64) (local $t f64)
    (local.set $rs (i32.shl (local.get $m) (i32.const 3)))
    ;; work[k+1…m−1] = 0, then += e[j]·at[j, ·] for j ascending
    (local.set $j (i32.add (local.get $k) (i32.const 1)))
    (call $fill0 (local.get $work) (local.get $j) (local.get $m))
    ;; four rows j per pass over work (each work[i] still adds its terms in order j)
    (block $s4done
      (loop $sum4
        (br_if $s4done (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (local.set $rj (i32.add (local.get $at) (i32.mul (local.get $j) (local.get $rs))))
        (call $axpy4 (local.get $work) (local.get $rj) (local.get $rs)
          (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))
          (f64.load offset=8 (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))
          (f64.load offset=16 (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))
          (f64.load offset=24 (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))
          (i32.add (local.get $k) (i32.const 1)) (local.get $m))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $sum4)))
    (block $sdone
      (loop $sum
        (br_if $sdone (i32.ge_s (local.get $j) (local.get $n)))
        (local.set $rj (i32.add (local.get $at) (i32.mul (local.get $j) (local.get $rs))))
        (call $axpy2 (local.get $work) (local.get $work) (local.get $rj)
          (f64x2.splat (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))) (v128.const f64x2 0 0)
          (i32.add (local.get $k) (i32.const 1)) (local.get $m))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sum)))
    (local.set $ek1 (f64.load (i32.add (local.get $e) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3)))))
    (local.set $j (i32.add (local.get $k) (i32.const 1)))
    ;; rows j, j+1 per pass (work loaded once for both), then the last one
    (block $u2done
      (loop $upd2
        (br_if $u2done (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
        (local.set $rj (i32.add (local.get $at) (i32.mul (local.get $j) (local.get $rs))))
        (call $axpy2 (local.get $rj) (i32.add (local.get $rj) (local.get $rs)) (local.get $work)
          (f64x2.splat (f64.div (f64.neg (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))) (local.get $ek1)))
          (f64x2.splat (f64.div (f64.neg (f64.load offset=8 (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))) (local.get $ek1)))
          (i32.add (local.get $k) (i32.const 1)) (local.get $m))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $upd2)))
    (block $udone
      (loop $upd
        (br_if $udone (i32.ge_s (local.get $j) (local.get $n)))
        (local.set $t (f64.div (f64.neg (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))) (local.get $ek1)))
        (local.set $rj (i32.add (local.get $at) (i32.mul (local.get $j) (local.get $rs))))
        (call $axpy2 (local.get $rj) (local.get $rj) (local.get $work) (f64x2.splat (local.get $t)) (v128.const f64x2 0 0)
          (i32.add (local.get $k) (i32.const 1)) (local.get $m))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $upd))))

  ;; y[i] = (((y[i] + c0·x[i]) + c1·x[rs + i]) + c2·x[2rs + i]) + c3·x[3rs + i] for i = from…to−1
  ;; (x: four rows rs bytes apart): four axpy2 passes' operations, y loaded and stored once
  (func $axpy4 (param $y i32) (param $x i32) (param $rs i32) (param $c0 f64) (param $c1 f64) (param $c2 f64) (param $c3 f64) (param $from i32) (param $to i32)
    (local $i i32) (local $o i32) (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $acc v128)
    (local.set $v0 (f64x2.splat (local.get $c0))) (local.set $v1 (f64x2.splat (local.get $c1)))
    (local.set $v2 (f64x2.splat (local.get $c2))) (local.set $v3 (f64x2.splat (local.get $c3)))
    (local.set $x0 (local.get $x))
    (local.set $x1 (i32.add (local.get $x0) (local.get $rs)))
    (local.set $x2 (i32.add (local.get $x1) (local.get $rs)))
    (local.set $x3 (i32.add (local.get $x2) (local.get $rs)))
    (local.set $i (local.get $from))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.gt_s (i32.add (local.get $i) (i32.const 2)) (local.get $to)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $acc (v128.load (i32.add (local.get $y) (local.get $o))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v0) (v128.load (i32.add (local.get $x0) (local.get $o))))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v1) (v128.load (i32.add (local.get $x1) (local.get $o))))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v2) (v128.load (i32.add (local.get $x2) (local.get $o))))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v3) (v128.load (i32.add (local.get $x3) (local.get $o))))))
        (v128.store (i32.add (local.get $y) (local.get $o)) (local.get $acc))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $v)))
    (if (i32.lt_s (local.get $i) (local.get $to))
      (then
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $y) (local.get $o))
          (f64.add (f64.add (f64.add (f64.add (f64.load (i32.add (local.get $y) (local.get $o)))
            (f64.mul (local.get $c0) (f64.load (i32.add (local.get $x0) (local.get $o)))))
            (f64.mul (local.get $c1) (f64.load (i32.add (local.get $x1) (local.get $o)))))
            (f64.mul (local.get $c2) (f64.load (i32.add (local.get $x2) (local.get $o)))))
            (f64.mul (local.get $c3) (f64.load (i32.add (local.get $x3) (local.get $o)))))))))

  (func $fill0 (param $p i32) (param $from i32) (param $to i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $from) (local.get $to)))
        (f64.store (i32.add (local.get $p) (i32.shl (local.get $from) (i32.const 3))) (f64.const 0))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $l))))

  ;; ---------------------------------------------------------------------------------------
  ;; gkValues: all of ../svdValues.ts golubKahanValuesT (singular values of the tall m×n matrix
  ;; whose transpose is `at`, n×m row-major) in WebAssembly: the bidiagonalisation's hypotenuse
  ;; loops and the implicit-shift QR sweeps on the bidiagonal, scalar f64, the same operations in
  ;; the same order as the JS (which stays the reference: test/core/numeric/lqSimd.test.ts), the
  ;; O(m·n) loops by gkLeft / gkRight as there. s (min(m+1, n)), e (n), work (m) are outputs /
  ;; scratch; s holds the values in the order the sweeps leave them.
  ;; ---------------------------------------------------------------------------------------
  ;; √(a² + b²) without overflow: ml-matrix's hypotenuse (svdValues.ts), operation for operation
  (func $hyp (param $a f64) (param $b f64) (result f64)
    (local $big i32) (local $num f64) (local $den f64) (local $r f64)
    ;; the branch taken by the JS, chosen by select (no misprediction; the same operations on
    ;; the same operands): |a| > |b|: r = b/a, |a|·√(1 + r²); else b ≠ 0: r = a/b, |b|·√(1 + r²);
    ;; else 0
    (local.set $big (f64.gt (f64.abs (local.get $a)) (f64.abs (local.get $b))))
    (local.set $num (select (local.get $b) (local.get $a) (local.get $big)))
    (local.set $den (select (local.get $a) (local.get $b) (local.get $big)))
    (local.set $r (f64.div (local.get $num) (local.get $den)))
    (select
      (f64.mul (f64.abs (local.get $den)) (f64.sqrt (f64.add (f64.const 1) (f64.mul (local.get $r) (local.get $r)))))
      (f64.const 0)
      (i32.or (local.get $big) (f64.ne (local.get $b) (f64.const 0)))))

  (func (export "gkValues") (param $at i32) (param $s i32) (param $e i32) (param $work i32) (param $m i32) (param $n i32)
    (local $ni i32) (local $nct i32) (local $nrt i32) (local $mrc i32) (local $k i32) (local $i i32) (local $j i32)
    (local $rk i32) (local $p i32) (local $pp i32) (local $ks i32) (local $kase i32)
    (local $sk f64) (local $ek f64) (local $alpha f64) (local $t f64) (local $f f64) (local $cs f64) (local $sn f64)
    (local $scale f64) (local $sp f64) (local $spm1 f64) (local $epm1 f64) (local $skk f64) (local $ekk f64)
    (local $b f64) (local $c f64) (local $shift f64) (local $gg f64)
    ;; ni = min(m + 1, n); s[0…ni), e[0…n), work[0…m) = 0
    (local.set $ni (select (i32.add (local.get $m) (i32.const 1)) (local.get $n) (i32.lt_s (i32.add (local.get $m) (i32.const 1)) (local.get $n))))
    (call $fill0 (local.get $s) (i32.const 0) (local.get $ni))
    (call $fill0 (local.get $e) (i32.const 0) (local.get $n))
    (call $fill0 (local.get $work) (i32.const 0) (local.get $m))
    ;; nct = min(m − 1, n), nrt = max(0, min(n − 2, m)), mrc = max(nct, nrt)
    (local.set $nct (select (i32.sub (local.get $m) (i32.const 1)) (local.get $n) (i32.lt_s (i32.sub (local.get $m) (i32.const 1)) (local.get $n))))
    (local.set $nrt (select (i32.sub (local.get $n) (i32.const 2)) (local.get $m) (i32.lt_s (i32.sub (local.get $n) (i32.const 2)) (local.get $m))))
    (if (i32.lt_s (local.get $nrt) (i32.const 0)) (then (local.set $nrt (i32.const 0))))
    (local.set $mrc (select (local.get $nct) (local.get $nrt) (i32.gt_s (local.get $nct) (local.get $nrt))))
    (local.set $k (i32.const 0))
    (block $kdone
      (loop $kl
        (br_if $kdone (i32.ge_s (local.get $k) (local.get $mrc)))
        (local.set $rk (i32.mul (local.get $k) (local.get $m)))
        (if (i32.lt_s (local.get $k) (local.get $nct))
          (then
            ;; left reflection: its norm by hypotenuses, i ascending
            (local.set $sk (f64.const 0))
            (local.set $i (local.get $k))
            (block $n1 (loop $l1
              (br_if $n1 (i32.ge_s (local.get $i) (local.get $m)))
              (local.set $sk (call $hyp (local.get $sk) (f64.load (i32.add (local.get $at) (i32.shl (i32.add (local.get $rk) (local.get $i)) (i32.const 3))))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l1)))
            (if (f64.ne (local.get $sk) (f64.const 0))
              (then
                (if (f64.lt (f64.load (i32.add (local.get $at) (i32.shl (i32.add (local.get $rk) (local.get $k)) (i32.const 3)))) (f64.const 0)) (then (local.set $sk (f64.neg (local.get $sk)))))
                (local.set $i (local.get $k))
                (block $n2 (loop $l2
                  (br_if $n2 (i32.ge_s (local.get $i) (local.get $m)))
                  (f64.store (i32.add (local.get $at) (i32.shl (i32.add (local.get $rk) (local.get $i)) (i32.const 3))) (f64.div (f64.load (i32.add (local.get $at) (i32.shl (i32.add (local.get $rk) (local.get $i)) (i32.const 3)))) (local.get $sk)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $l2)))
                (f64.store (i32.add (local.get $at) (i32.shl (i32.add (local.get $rk) (local.get $k)) (i32.const 3))) (f64.add (f64.load (i32.add (local.get $at) (i32.shl (i32.add (local.get $rk) (local.get $k)) (i32.const 3)))) (f64.const 1)))))
            (f64.store (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3))) (f64.neg (local.get $sk)))
            (if (f64.ne (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))) (f64.const 0))
              (then (call $gkLeft (local.get $at) (local.get $m) (local.get $n) (local.get $k))))))
        ;; e[j] = at[j, k] for j > k
        (local.set $j (i32.add (local.get $k) (i32.const 1)))
        (block $n3 (loop $l3
          (br_if $n3 (i32.ge_s (local.get $j) (local.get $n)))
          (f64.store (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))) (f64.load (i32.add (local.get $at) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $m)) (local.get $k)) (i32.const 3)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $l3)))
        (if (i32.lt_s (local.get $k) (local.get $nrt))
          (then
            ;; right reflection: its norm by hypotenuses over e[k+1…n)
            (local.set $ek (f64.const 0))
            (local.set $i (i32.add (local.get $k) (i32.const 1)))
            (block $n4 (loop $l4
              (br_if $n4 (i32.ge_s (local.get $i) (local.get $n)))
              (local.set $ek (call $hyp (local.get $ek) (f64.load (i32.add (local.get $e) (i32.shl (local.get $i) (i32.const 3))))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l4)))
            (if (f64.ne (local.get $ek) (f64.const 0))
              (then
                (if (f64.lt (f64.load (i32.add (local.get $e) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3)))) (f64.const 0)) (then (local.set $ek (f64.sub (f64.const 0) (local.get $ek)))))
                (local.set $i (i32.add (local.get $k) (i32.const 1)))
                (block $n5 (loop $l5
                  (br_if $n5 (i32.ge_s (local.get $i) (local.get $n)))
                  (f64.store (i32.add (local.get $e) (i32.shl (local.get $i) (i32.const 3))) (f64.div (f64.load (i32.add (local.get $e) (i32.shl (local.get $i) (i32.const 3)))) (local.get $ek)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $l5)))
                (f64.store (i32.add (local.get $e) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3))) (f64.add (f64.load (i32.add (local.get $e) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3)))) (f64.const 1)))))
            (f64.store (i32.add (local.get $e) (i32.shl (local.get $k) (i32.const 3))) (f64.neg (local.get $ek)))
            (if (i32.and (i32.lt_s (i32.add (local.get $k) (i32.const 1)) (local.get $m)) (f64.ne (f64.load (i32.add (local.get $e) (i32.shl (local.get $k) (i32.const 3)))) (f64.const 0)))
              (then (call $gkRight (local.get $at) (local.get $e) (local.get $work) (local.get $m) (local.get $n) (local.get $k))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))
    ;; p = min(n, m + 1) and the bidiagonal's last entries
    (local.set $p (local.get $ni))
    (if (i32.lt_s (local.get $nct) (local.get $n)) (then (f64.store (i32.add (local.get $s) (i32.shl (local.get $nct) (i32.const 3))) (f64.load (i32.add (local.get $at) (i32.shl (i32.add (i32.mul (local.get $nct) (local.get $m)) (local.get $nct)) (i32.const 3)))))))
    (if (i32.lt_s (local.get $m) (local.get $p)) (then (f64.store (i32.add (local.get $s) (i32.shl (i32.sub (local.get $p) (i32.const 1)) (i32.const 3))) (f64.const 0))))
    (if (i32.lt_s (i32.add (local.get $nrt) (i32.const 1)) (local.get $p)) (then (f64.store (i32.add (local.get $e) (i32.shl (local.get $nrt) (i32.const 3))) (f64.load (i32.add (local.get $at) (i32.shl (i32.add (i32.mul (i32.sub (local.get $p) (i32.const 1)) (local.get $m)) (local.get $nrt)) (i32.const 3)))))))
    (f64.store (i32.add (local.get $e) (i32.shl (i32.sub (local.get $p) (i32.const 1)) (i32.const 3))) (f64.const 0))
    (local.set $pp (i32.sub (local.get $p) (i32.const 1)))
    (block $qdone
      (loop $ql
        (br_if $qdone (i32.le_s (local.get $p) (i32.const 0)))
        ;; k: the largest index < p − 1 with a negligible e[k] (−1: none)
        (local.set $k (i32.sub (local.get $p) (i32.const 2)))
        (block $kf (loop $kfl
          (br_if $kf (i32.eq (local.get $k) (i32.const -1)))
          (local.set $alpha (f64.add (f64.const 0x1p-1074) (f64.mul (f64.const 0x1p-52)
            (f64.abs (f64.add (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))) (f64.abs (f64.load (i32.add (local.get $s) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3))))))))))
          (if (i32.or (f64.le (f64.abs (f64.load (i32.add (local.get $e) (i32.shl (local.get $k) (i32.const 3))))) (local.get $alpha)) (f64.ne (f64.load (i32.add (local.get $e) (i32.shl (local.get $k) (i32.const 3)))) (f64.load (i32.add (local.get $e) (i32.shl (local.get $k) (i32.const 3))))))
            (then (f64.store (i32.add (local.get $e) (i32.shl (local.get $k) (i32.const 3))) (f64.const 0)) (br $kf)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br $kfl)))
        (if (i32.eq (local.get $k) (i32.sub (local.get $p) (i32.const 2)))
          (then (local.set $kase (i32.const 4)))
          (else
            (local.set $ks (i32.sub (local.get $p) (i32.const 1)))
            (block $ksf (loop $ksl
              (br_if $ksf (i32.eq (local.get $ks) (local.get $k)))
              (local.set $t (f64.add
                (if (result f64) (i32.ne (local.get $ks) (local.get $p)) (then (f64.abs (f64.load (i32.add (local.get $e) (i32.shl (local.get $ks) (i32.const 3)))))) (else (f64.const 0)))
                (if (result f64) (i32.ne (local.get $ks) (i32.add (local.get $k) (i32.const 1))) (then (f64.abs (f64.load (i32.add (local.get $e) (i32.shl (i32.sub (local.get $ks) (i32.const 1)) (i32.const 3)))))) (else (f64.const 0)))))
              (if (f64.le (f64.abs (f64.load (i32.add (local.get $s) (i32.shl (local.get $ks) (i32.const 3))))) (f64.mul (f64.const 0x1p-52) (local.get $t)))
                (then (f64.store (i32.add (local.get $s) (i32.shl (local.get $ks) (i32.const 3))) (f64.const 0)) (br $ksf)))
              (local.set $ks (i32.sub (local.get $ks) (i32.const 1)))
              (br $ksl)))
            (if (i32.eq (local.get $ks) (local.get $k))
              (then (local.set $kase (i32.const 3)))
              (else (if (i32.eq (local.get $ks) (i32.sub (local.get $p) (i32.const 1)))
                (then (local.set $kase (i32.const 1)))
                (else (local.set $kase (i32.const 2)) (local.set $k (local.get $ks))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (if (i32.eq (local.get $kase) (i32.const 1))
          (then
            ;; deflate a negligible s[p−1]
            (local.set $f (f64.load (i32.add (local.get $e) (i32.shl (i32.sub (local.get $p) (i32.const 2)) (i32.const 3)))))
            (f64.store (i32.add (local.get $e) (i32.shl (i32.sub (local.get $p) (i32.const 2)) (i32.const 3))) (f64.const 0))
            (local.set $j (i32.sub (local.get $p) (i32.const 2)))
            (block $d1 (loop $d1l
              (br_if $d1 (i32.lt_s (local.get $j) (local.get $k)))
              (local.set $t (call $hyp (f64.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3)))) (local.get $f)))
              (local.set $cs (f64.div (f64.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3)))) (local.get $t)))
              (local.set $sn (f64.div (local.get $f) (local.get $t)))
              (f64.store (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3))) (local.get $t))
              (if (i32.ne (local.get $j) (local.get $k))
                (then
                  (local.set $f (f64.mul (f64.neg (local.get $sn)) (f64.load (i32.add (local.get $e) (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 3))))))
                  (f64.store (i32.add (local.get $e) (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 3))) (f64.mul (local.get $cs) (f64.load (i32.add (local.get $e) (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 3))))))))
              (local.set $j (i32.sub (local.get $j) (i32.const 1)))
              (br $d1l)))))
        (if (i32.eq (local.get $kase) (i32.const 2))
          (then
            ;; split at a negligible s[k−1]
            (local.set $f (f64.load (i32.add (local.get $e) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 3)))))
            (f64.store (i32.add (local.get $e) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 3))) (f64.const 0))
            (local.set $j (local.get $k))
            (block $d2 (loop $d2l
              (br_if $d2 (i32.ge_s (local.get $j) (local.get $p)))
              (local.set $t (call $hyp (f64.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3)))) (local.get $f)))
              (local.set $cs (f64.div (f64.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3)))) (local.get $t)))
              (local.set $sn (f64.div (local.get $f) (local.get $t)))
              (f64.store (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3))) (local.get $t))
              (local.set $f (f64.mul (f64.neg (local.get $sn)) (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))))
              (f64.store (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))) (f64.mul (local.get $cs) (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $d2l)))))
        (if (i32.eq (local.get $kase) (i32.const 3))
          (then
            ;; one QR sweep with the shift from the trailing 2×2
            (local.set $scale (f64.max (f64.max (f64.max (f64.max
              (f64.abs (f64.load (i32.add (local.get $s) (i32.shl (i32.sub (local.get $p) (i32.const 1)) (i32.const 3))))) (f64.abs (f64.load (i32.add (local.get $s) (i32.shl (i32.sub (local.get $p) (i32.const 2)) (i32.const 3)))))) (f64.abs (f64.load (i32.add (local.get $e) (i32.shl (i32.sub (local.get $p) (i32.const 2)) (i32.const 3))))))
              (f64.abs (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))))) (f64.abs (f64.load (i32.add (local.get $e) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $sp (f64.div (f64.load (i32.add (local.get $s) (i32.shl (i32.sub (local.get $p) (i32.const 1)) (i32.const 3)))) (local.get $scale)))
            (local.set $spm1 (f64.div (f64.load (i32.add (local.get $s) (i32.shl (i32.sub (local.get $p) (i32.const 2)) (i32.const 3)))) (local.get $scale)))
            (local.set $epm1 (f64.div (f64.load (i32.add (local.get $e) (i32.shl (i32.sub (local.get $p) (i32.const 2)) (i32.const 3)))) (local.get $scale)))
            (local.set $skk (f64.div (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))) (local.get $scale)))
            (local.set $ekk (f64.div (f64.load (i32.add (local.get $e) (i32.shl (local.get $k) (i32.const 3)))) (local.get $scale)))
            (local.set $b (f64.div (f64.add (f64.mul (f64.add (local.get $spm1) (local.get $sp)) (f64.sub (local.get $spm1) (local.get $sp))) (f64.mul (local.get $epm1) (local.get $epm1))) (f64.const 2)))
            (local.set $c (f64.mul (f64.mul (local.get $sp) (local.get $epm1)) (f64.mul (local.get $sp) (local.get $epm1))))
            (local.set $shift (f64.const 0))
            (if (i32.or (f64.ne (local.get $b) (f64.const 0)) (f64.ne (local.get $c) (f64.const 0)))
              (then
                (if (f64.lt (local.get $b) (f64.const 0))
                  (then (local.set $shift (f64.sub (f64.const 0) (f64.sqrt (f64.add (f64.mul (local.get $b) (local.get $b)) (local.get $c))))))
                  (else (local.set $shift (f64.sqrt (f64.add (f64.mul (local.get $b) (local.get $b)) (local.get $c))))))
                (local.set $shift (f64.div (local.get $c) (f64.add (local.get $b) (local.get $shift))))))
            (local.set $f (f64.add (f64.mul (f64.add (local.get $skk) (local.get $sp)) (f64.sub (local.get $skk) (local.get $sp))) (local.get $shift)))
            (local.set $gg (f64.mul (local.get $skk) (local.get $ekk)))
            (local.set $j (local.get $k))
            (block $d3 (loop $d3l
              (br_if $d3 (i32.ge_s (local.get $j) (i32.sub (local.get $p) (i32.const 1))))
              (local.set $t (call $hyp (local.get $f) (local.get $gg)))
              (if (f64.eq (local.get $t) (f64.const 0)) (then (local.set $t (f64.const 0x1p-1074))))
              (local.set $cs (f64.div (local.get $f) (local.get $t)))
              (local.set $sn (f64.div (local.get $gg) (local.get $t)))
              (if (i32.ne (local.get $j) (local.get $k)) (then (f64.store (i32.add (local.get $e) (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 3))) (local.get $t))))
              (local.set $f (f64.add (f64.mul (local.get $cs) (f64.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3))))) (f64.mul (local.get $sn) (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3)))))))
              (f64.store (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))) (f64.sub (f64.mul (local.get $cs) (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))) (f64.mul (local.get $sn) (f64.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3)))))))
              (local.set $gg (f64.mul (local.get $sn) (f64.load (i32.add (local.get $s) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3))))))
              (f64.store (i32.add (local.get $s) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3))) (f64.mul (local.get $cs) (f64.load (i32.add (local.get $s) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3))))))
              (local.set $t (call $hyp (local.get $f) (local.get $gg)))
              (if (f64.eq (local.get $t) (f64.const 0)) (then (local.set $t (f64.const 0x1p-1074))))
              (local.set $cs (f64.div (local.get $f) (local.get $t)))
              (local.set $sn (f64.div (local.get $gg) (local.get $t)))
              (f64.store (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3))) (local.get $t))
              (local.set $f (f64.add (f64.mul (local.get $cs) (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))) (f64.mul (local.get $sn) (f64.load (i32.add (local.get $s) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3)))))))
              (f64.store (i32.add (local.get $s) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3))) (f64.add (f64.mul (f64.neg (local.get $sn)) (f64.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))) (f64.mul (local.get $cs) (f64.load (i32.add (local.get $s) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3)))))))
              (local.set $gg (f64.mul (local.get $sn) (f64.load (i32.add (local.get $e) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3))))))
              (f64.store (i32.add (local.get $e) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3))) (f64.mul (local.get $cs) (f64.load (i32.add (local.get $e) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3))))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $d3l)))
            (f64.store (i32.add (local.get $e) (i32.shl (i32.sub (local.get $p) (i32.const 2)) (i32.const 3))) (local.get $f))))
        (if (i32.eq (local.get $kase) (i32.const 4))
          (then
            ;; converged: s[k] non-negative, bubbled into place
            (if (f64.le (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))) (f64.const 0))
              (then (f64.store (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3))) (if (result f64) (f64.lt (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))) (f64.const 0)) (then (f64.neg (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))))) (else (f64.const 0))))))
            (block $bb (loop $bbl
              (br_if $bb (i32.ge_s (local.get $k) (local.get $pp)))
              (br_if $bb (f64.ge (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))) (f64.load (i32.add (local.get $s) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3))))))
              (local.set $t (f64.load (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3)))))
              (f64.store (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3))) (f64.load (i32.add (local.get $s) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3)))))
              (f64.store (i32.add (local.get $s) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3))) (local.get $t))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $bbl)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))))
        (br $ql))))

  ;; ---------------------------------------------------------------------------------------
  (func (export "peak") (param $n i32) (result f64)
    (local $i i32) (local $m v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $p4 v128) (local $p5 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128)
    (local.set $m (f64x2.splat (f64.const 0.99999999)))
    (local.set $p0 (f64x2.splat (f64.const 1))) (local.set $p1 (f64x2.splat (f64.const 2)))
    (local.set $p2 (f64x2.splat (f64.const 3))) (local.set $p3 (f64x2.splat (f64.const 4)))
    (local.set $p4 (f64x2.splat (f64.const 5))) (local.set $p5 (f64x2.splat (f64.const 6)))
    (if (i32.gt_s (local.get $n) (i32.const 0))
      (then
        (loop $l
          (local.set $p0 (f64x2.mul (local.get $p0) (local.get $m)))
          (local.set $p1 (f64x2.mul (local.get $p1) (local.get $m)))
          (local.set $p2 (f64x2.mul (local.get $p2) (local.get $m)))
          (local.set $p3 (f64x2.mul (local.get $p3) (local.get $m)))
          (local.set $p4 (f64x2.mul (local.get $p4) (local.get $m)))
          (local.set $p5 (f64x2.mul (local.get $p5) (local.get $m)))
          (local.set $s0 (f64x2.add (local.get $s0) (local.get $p0)))
          (local.set $s1 (f64x2.add (local.get $s1) (local.get $p1)))
          (local.set $s2 (f64x2.add (local.get $s2) (local.get $p2)))
          (local.set $s3 (f64x2.add (local.get $s3) (local.get $p3)))
          (local.set $s4 (f64x2.add (local.get $s4) (local.get $p4)))
          (local.set $s5 (f64x2.add (local.get $s5) (local.get $p5)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_s (local.get $i) (local.get $n))))))
    (f64x2.extract_lane 0
      (f64x2.add (f64x2.add (f64x2.add (local.get $s0) (local.get $s1)) (f64x2.add (local.get $s2) (local.get $s3)))
                 (f64x2.add (local.get $s4) (local.get $s5)))))
)
