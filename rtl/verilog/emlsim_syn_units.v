// emlsim_syn_units.v - the arithmetic that `emlsim rtl characterize` gives
// to Yosys at each width: an unsigned W x W multiplier and a W + W adder
// (the units whose cost the study book says grows with N^2 and N).
module emlsim_syn_mul #(
    parameter integer W = 8
) (
    input  wire [W-1:0]   a,
    input  wire [W-1:0]   b,
    output wire [2*W-1:0] p
);
  assign p = a * b;
endmodule

module emlsim_syn_add #(
    parameter integer W = 8
) (
    input  wire [W-1:0] a,
    input  wire [W-1:0] b,
    output wire [W:0]   s
);
  assign s = a + b;
endmodule
