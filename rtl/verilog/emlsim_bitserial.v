// emlsim_bitserial.v - bit-serial dot product of K-element vectors, in the
// style of BISMO / gemmbitserial: one pair of bit planes per cycle,
//   acc += s_ij * 2^(i+j) * popcount(A_i AND B_j),
// with s_ij = -1 when exactly one of the two planes is the most significant
// plane of a signed operand (two's complement).
//
// Protocol: load the BA planes of A and the BB planes of B (plane i of an
// operand holds bit i of its K elements), pulse `start`; the unit walks
// i = 0..BA-1 (outer), j = 0..BB-1 (inner), one pair per cycle, and raises
// `done` for one cycle with the result in `acc`. From `start` to `done`:
// BA*BB + 1 cycles (one cycle to latch the request).
module emlsim_bitserial #(
    parameter integer K = 64,
    parameter integer MAXB = 8,
    parameter integer ACC = 2 * MAXB + $clog2(K + 1) + 1
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire                   start,
    input  wire [3:0]             ba_m1,    // BA - 1 (BA in 1..MAXB)
    input  wire [3:0]             bb_m1,    // BB - 1
    input  wire                   a_signed,
    input  wire                   b_signed,
    input  wire [K*MAXB-1:0]      a_planes, // plane i at [i*K +: K]
    input  wire [K*MAXB-1:0]      b_planes,
    output reg                    busy,
    output reg                    done,
    output reg signed [ACC-1:0]   acc
);
  reg [3:0] i, j;
  wire [K-1:0] pa = a_planes[i*K +: K];
  wire [K-1:0] pb = b_planes[j*K +: K];
  wire [K-1:0] both = pa & pb;
  integer n;
  reg [$clog2(K + 1):0] pop;
  always @(*) begin
    pop = 0;
    for (n = 0; n < K; n = n + 1) pop = pop + {{$clog2(K + 1) {1'b0}}, both[n]};
  end
  wire neg = (a_signed && i == ba_m1) ^ (b_signed && j == bb_m1);
  wire signed [ACC-1:0] term = $signed({{(ACC - $clog2(K + 1) - 1) {1'b0}}, pop}) <<< (i + j);

  always @(posedge clk) begin
    done <= 1'b0;
    if (rst) begin
      busy <= 1'b0;
      acc  <= 0;
    end else if (start && !busy) begin
      busy <= 1'b1;
      i    <= 0;
      j    <= 0;
      acc  <= 0;
    end else if (busy) begin
      acc <= neg ? acc - term : acc + term;
      if (j == bb_m1) begin
        j <= 0;
        if (i == ba_m1) begin
          busy <= 1'b0;
          done <= 1'b1;
        end else begin
          i <= i + 1;
        end
      end else begin
        j <= j + 1;
      end
    end
  end
endmodule
