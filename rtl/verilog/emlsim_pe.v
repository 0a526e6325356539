// emlsim_pe.v - one processing element of a systolic MAC array, running
// output-stationary (ws = 0) or weight-stationary (ws = 1) as the `ws`
// input selects (the same hardware serves both; models/systolic/sa_model.h's
// SA_OS and SA_WS).
//
// Operands a (WA bits, from the left) and b (WB bits, from above) are
// signed two's complement by default (SIGNED = 0: unsigned); the product is
// extended to the ACC-bit accumulator, which wraps modulo 2^ACC as a
// hardware accumulator does (ACC >= WA + WB).
//
// Every output is a register: a PE passes what it received on to its right
// and lower neighbours one clock later, so a row or column of PEs is a
// shift register and the operand streams must be skewed by one cycle per
// row / column (the array's feeder does that).
//
// Output stationary (ws = 0):
//   a flows left -> right, b flows top -> bottom; on a cycle with a_valid_in
//   the PE accumulates acc <= (a_first_in ? 0 : acc) + a_in * b_in, so each
//   PE builds one output in place. `drain` shifts the accumulators down the
//   column (acc <= psum_in) so that the results leave at the bottom edge on
//   psum_out, one row per cycle.
// Weight stationary (ws = 1):
//   with `load` the weight chain shifts down the column (w <= b_in; b_out is
//   the held weight), so R cycles load a column of R PEs; otherwise the
//   weight is held. Activations flow left -> right; on a cycle with
//   a_valid_in the partial sum from above is extended,
//   psum_out <= psum_in + a_in * w, and psum_valid marks it valid.
//
// rst is synchronous and clears every flag and register.
module emlsim_pe #(
    parameter integer WA = 8,
    parameter integer WB = 8,
    parameter integer ACC = 32,
    parameter integer SIGNED = 1
) (
    input  wire           clk,
    input  wire           rst,
    input  wire           ws,          // 0: output stationary, 1: weight stationary
    input  wire           load,        // ws: shift the weight chain this cycle
    input  wire           drain,       // os: shift the accumulators down this cycle
    // from the left neighbour (or the array's left edge)
    input  wire [WA-1:0]  a_in,
    input  wire           a_valid_in,  // a MAC is due this cycle
    input  wire           a_first_in,  // os: the first product of a new output
    // from the upper neighbour (or the top edge)
    input  wire [WB-1:0]  b_in,        // os: operand b; ws: weight being loaded
    input  wire [ACC-1:0] psum_in,     // ws: partial sum; os: accumulator while draining
    // to the right neighbour
    output reg  [WA-1:0]  a_out,
    output reg            a_valid_out, // this PE did a MAC at the last edge
    output reg            a_first_out,
    // to the lower neighbour
    output reg  [WB-1:0]  b_out,       // os: b passed on; ws: the held weight
    output reg  [ACC-1:0] psum_out,    // os: the accumulator; ws: the extended partial sum
    output reg            psum_valid   // ws: psum_out was computed at the last edge
);
  // The product a * w (ws) or a * b (os), extended to ACC bits.
  wire [WB-1:0] mul_b = ws ? b_out : b_in;
  wire [ACC-1:0] prod;
  generate
    if (SIGNED != 0) begin : g_signed
      wire signed [WA+WB-1:0] p = $signed(a_in) * $signed(mul_b);
      if (ACC > WA + WB) begin : g_ext
        assign prod = {{(ACC - WA - WB) {p[WA+WB-1]}}, p};
      end else begin : g_same
        assign prod = p;
      end
    end else begin : g_unsigned
      wire [WA+WB-1:0] p = a_in * mul_b;
      if (ACC > WA + WB) begin : g_ext
        assign prod = {{(ACC - WA - WB) {1'b0}}, p};
      end else begin : g_same
        assign prod = p;
      end
    end
  endgenerate

  always @(posedge clk) begin
    if (rst) begin
      a_out <= {WA{1'b0}};
      a_valid_out <= 1'b0;
      a_first_out <= 1'b0;
      b_out <= {WB{1'b0}};
      psum_out <= {ACC{1'b0}};
      psum_valid <= 1'b0;
    end else begin
      a_out <= a_in;
      a_valid_out <= a_valid_in;
      a_first_out <= a_first_in;
      if (ws) begin
        if (load) b_out <= b_in;
        if (a_valid_in) psum_out <= psum_in + prod;
        psum_valid <= a_valid_in;
      end else begin
        b_out <= b_in;
        if (drain) psum_out <= psum_in;
        else if (a_valid_in) psum_out <= (a_first_in ? {ACC{1'b0}} : psum_out) + prod;
        psum_valid <= 1'b0;
      end
    end
  end
endmodule
