// emlsim_xnor.v - binary dot product of W-bit vectors, {0 -> -1, 1 -> +1}:
//   out = 2 * popcount(xnor(a, b)) - W
// registered on the clock (one result per cycle).
module emlsim_xnor #(
    parameter integer W = 64,
    parameter integer OW = $clog2(W + 1) + 1
) (
    input  wire                 clk,
    input  wire [W-1:0]         a,
    input  wire [W-1:0]         b,
    output reg signed [OW-1:0]  out
);
  wire [W-1:0] x = ~(a ^ b);
  integer i;
  reg [OW-1:0] pop;
  always @(*) begin
    pop = {OW{1'b0}};
    for (i = 0; i < W; i = i + 1) pop = pop + {{(OW - 1) {1'b0}}, x[i]};
  end
  always @(posedge clk) out <= $signed((pop << 1) - W[OW-1:0]);
endmodule
