// sgemm_vs_cublas.cu - the straightforward SGEMM emlsim's generator writes
// (simt_gen.h: 64 x 64 output tile per 256-thread block, 8-deep K slices
// staged through shared memory, A transposed with a padded stride, 4 x 4
// outputs a thread from 128-bit shared loads) against cuBLAS SGEMM (true
// fp32: CUBLAS_PEDANTIC_MATH, no TF32), at 2048^3, on a real GPU.
// Not part of the build or of any test: run by hand where a GPU is, with
// run.sh beside it, which samples power with nvidia-smi.
// Usage: sgemm_vs_cublas [ours|cublas|both] [seconds per kernel]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cmath>
#include <cuda_runtime.h>
#include <cublas_v2.h>

#define TM 64
#define TK 8
__global__ void __launch_bounds__(256) sgemm64(int M, int N, int K, const float *__restrict__ A,
                                               const float *__restrict__ B, float *__restrict__ C) {
  // A row-major M x K, B row-major K x N, C row-major M x N
  __shared__ __align__(16) float As[TK][TM + 4]; // transposed, padded
  __shared__ __align__(16) float Bs[TK][TM];
  int t = threadIdx.x, tx = t % 16, ty = t / 16;
  int bm = blockIdx.y * TM, bn = blockIdx.x * TM;
  float acc[4][4] = {};
  for (int k0 = 0; k0 < K; k0 += TK) {
    for (int i = 0; i < 2; i++) {
      int e = t + 256 * i;
      int ar = e / TK, ac = e % TK; // A tile 64 x 8
      As[ac][ar] = (bm + ar < M && k0 + ac < K) ? A[(size_t)(bm + ar) * K + k0 + ac] : 0.f;
      int br = e / TM, bc = e % TM; // B tile 8 x 64
      Bs[br][bc] = (k0 + br < K && bn + bc < N) ? B[(size_t)(k0 + br) * N + bn + bc] : 0.f;
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < TK; k++) {
      float4 a = *reinterpret_cast<const float4 *>(&As[k][ty * 4]);
      float4 b = *reinterpret_cast<const float4 *>(&Bs[k][tx * 4]);
      float av[4] = {a.x, a.y, a.z, a.w}, bv[4] = {b.x, b.y, b.z, b.w};
#pragma unroll
      for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] += av[i] * bv[j];
    }
    __syncthreads();
  }
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) {
      int r = bm + ty * 4 + i, c = bn + tx * 4 + j;
      if (r < M && c < N) C[(size_t)r * N + c] = acc[i][j];
    }
}

int main(int argc, char **argv) {
  int n = 2048;
  double secs = argc > 2 ? atof(argv[2]) : 5.0;
  const char *which = argc > 1 ? argv[1] : "both";
  size_t bytes = (size_t)n * n * sizeof(float);
  float *A, *B, *C, *C2;
  cudaMalloc(&A, bytes); cudaMalloc(&B, bytes); cudaMalloc(&C, bytes); cudaMalloc(&C2, bytes);
  float *h = (float *)malloc(bytes);
  srand(1);
  for (size_t i = 0; i < (size_t)n * n; i++) h[i] = (float)rand() / RAND_MAX - 0.5f;
  cudaMemcpy(A, h, bytes, cudaMemcpyHostToDevice);
  for (size_t i = 0; i < (size_t)n * n; i++) h[i] = (float)rand() / RAND_MAX - 0.5f;
  cudaMemcpy(B, h, bytes, cudaMemcpyHostToDevice);
  cublasHandle_t hd; cublasCreate(&hd);
  cublasSetMathMode(hd, CUBLAS_PEDANTIC_MATH); // true fp32, no TF32
  cudaEvent_t e0, e1; cudaEventCreate(&e0); cudaEventCreate(&e1);
  const float one = 1.f, zero = 0.f;
  dim3 grid(n / TM, n / TM);
  for (int pass = 0; pass < 2; pass++) {
    bool ours = pass == 0;
    if (ours && !strcmp(which, "cublas")) continue;
    if (!ours && !strcmp(which, "ours")) continue;
    auto launch = [&]() {
      if (ours) sgemm64<<<grid, 256>>>(n, n, n, A, B, C);
      else // row-major C = A B is column-major C^T = B^T A^T
        cublasSgemm(hd, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, B, n, A, n, &zero, C2, n);
    };
    for (int i = 0; i < 3; i++) launch();
    cudaDeviceSynchronize();
    cudaEventRecord(e0);
    launch();
    cudaEventRecord(e1);
    cudaEventSynchronize(e1);
    float ms1; cudaEventElapsedTime(&ms1, e0, e1);
    int reps = (int)(secs * 1000 / ms1) + 1;
    cudaEventRecord(e0);
    for (int i = 0; i < reps; i++) launch();
    cudaEventRecord(e1);
    cudaEventSynchronize(e1);
    float ms; cudaEventElapsedTime(&ms, e0, e1);
    double per = ms / reps;
    printf("RESULT %s reps %d ms_per_gemm %.4f gflops %.1f err %s\n", ours ? "ours" : "cublas",
           reps, per, 2.0 * n * n * (double)n / (per * 1e-3) / 1e9,
           cudaGetErrorString(cudaGetLastError()));
    fflush(stdout);
  }
  // agreement of the two results
  if (!strcmp(which, "both")) {
    float *h2 = (float *)malloc(bytes);
    cudaMemcpy(h, C, bytes, cudaMemcpyDeviceToHost);
    cudaMemcpy(h2, C2, bytes, cudaMemcpyDeviceToHost);
    double md = 0;
    for (size_t i = 0; i < (size_t)n * n; i++) { double d = fabs(h[i] - h2[i]); if (d > md) md = d; }
    double s1 = 0, s2 = 0, ref = 0;
    for (size_t i = 0; i < (size_t)n * n; i++) { s1 += fabs(h[i]); s2 += fabs(h2[i]); }
    // one element on the host, in double: row 5, column 7
    float *ha = (float *)malloc(bytes), *hb = (float *)malloc(bytes);
    cudaMemcpy(ha, A, bytes, cudaMemcpyDeviceToHost);
    cudaMemcpy(hb, B, bytes, cudaMemcpyDeviceToHost);
    for (int k = 0; k < n; k++) ref += (double)ha[5 * (size_t)n + k] * hb[(size_t)k * n + 7];
    printf("max |ours - cublas| = %g; sum |ours| %.6g, sum |cublas| %.6g; C[5][7] ours %.7g cublas %.7g host %.7g\n",
           md, s1, s2, h[5 * (size_t)n + 7], h2[5 * (size_t)n + 7], ref);
  }
  cudaDeviceProp p; cudaGetDeviceProperties(&p, 0);
  printf("DEVICE %s SMs %d\n", p.name, p.multiProcessorCount);
  return 0;
}
