// emlsim_mac.v - integer multiply-accumulate unit.
//
// acc <= (clear ? 0 : acc) + a * b, one product per cycle when `en` is high.
// Operand widths WA, WB in 1..32 and signedness are parameters; the
// accumulator is ACC bits wide, by default the study book's b_o rule
// b_o = b_a + b_w + log2(n) for n = 2^LOG2_TERMS accumulated products.
// Sums wrap modulo 2^ACC, as a hardware accumulator does.
module emlsim_mac #(
    parameter integer WA = 8,
    parameter integer WB = 8,
    parameter integer SIGNED = 1,
    parameter integer LOG2_TERMS = 16,
    parameter integer ACC = WA + WB + LOG2_TERMS
) (
    input  wire           clk,
    input  wire           en,
    input  wire           clear,
    input  wire [WA-1:0]  a,
    input  wire [WB-1:0]  b,
    output reg  [ACC-1:0] acc
);
  wire [ACC-1:0] prod;
  generate
    if (SIGNED != 0) begin : g_signed
      wire signed [WA+WB-1:0] p = $signed(a) * $signed(b);
      assign prod = {{(ACC - WA - WB) {p[WA+WB-1]}}, p};
    end else begin : g_unsigned
      wire [WA+WB-1:0] p = a * b;
      assign prod = {{(ACC - WA - WB) {1'b0}}, p};
    end
  endgenerate

  always @(posedge clk) begin
    if (en) acc <= (clear ? {ACC{1'b0}} : acc) + prod;
  end
endmodule
