// emlsim_pe_array.v - an R x C systolic array of emlsim_pe, output- or
// weight-stationary as the `ws` input selects (see emlsim_pe.v for what a
// PE does in each).
//
// Edges (vectors are flattened: row i at [i*W +: W], column j at [j*W +: W]):
//   left   a_in, a_valid, a_first   one operand per row, skewed by the feeder
//                                   (row i one cycle behind row i - 1)
//   top    b_in                     os: one operand per column, skewed the same
//                                   way; ws: the weights, row R-1's first
//          psum_in                  ws: partial sums entering each column (0
//                                   for a plain GEMM, a bias otherwise); os:
//                                   shifted into row 0 while draining
//   right  a_out, a_valid_out, a_first_out   the a streams after each row's
//                                   last PE
//   bottom b_out, psum_out, psum_valid       os: the accumulators while
//                                   draining (row R-1 first); ws: finished
//                                   partial sums, psum_valid high for each
//   busy   a register: some PE did a MAC, or the weight chain shifted, at
//          the last edge. The co-simulation counts the cycles it is high
//          (rtl/README.md, "Cycle mapping").
// Broadcast controls: rst (synchronous), ws, load (ws: shift the weights
// down every column), drain (os: shift the accumulators down every column).
//
// The PE is in emlsim_pe.v: give tools both files (Verilator also finds it
// by module name in its working directory or a -y directory).
module emlsim_pe_array #(
    parameter integer R = 4,
    parameter integer C = 4,
    parameter integer WA = 8,
    parameter integer WB = 8,
    parameter integer ACC = 32,
    parameter integer SIGNED = 1
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             ws,
    input  wire             load,
    input  wire             drain,
    input  wire [R*WA-1:0]  a_in,
    input  wire [R-1:0]     a_valid,
    input  wire [R-1:0]     a_first,
    input  wire [C*WB-1:0]  b_in,
    input  wire [C*ACC-1:0] psum_in,
    output wire [R*WA-1:0]  a_out,
    output wire [R-1:0]     a_valid_out,
    output wire [R-1:0]     a_first_out,
    output wire [C*WB-1:0]  b_out,
    output wire [C*ACC-1:0] psum_out,
    output wire [C-1:0]     psum_valid,
    output wire             busy
);
  // Horizontal nets: (i, j) enters PE (i, j) from the left; column C is the
  // right edge. Vertical nets: (i, j) enters PE (i, j) from above; row R is
  // the bottom edge.
  localparam integer NH = R * (C + 1);
  localparam integer NV = (R + 1) * C;
  wire [NH*WA-1:0]  ha;
  wire [NH-1:0]     hv, hf;
  wire [NV*WB-1:0]  vb;
  wire [NV*ACC-1:0] vp;
  // psum_valid of every PE; only the bottom row's leave the array.
  /* verilator lint_off UNUSEDSIGNAL */
  wire [R*C-1:0]    pv;
  /* verilator lint_on UNUSEDSIGNAL */
  wire [R*C-1:0]    mac; // PE (i, j) did a MAC at the last edge

  genvar i, j;
  generate
    for (i = 0; i < R; i = i + 1) begin : g_row
      assign ha[(i*(C+1))*WA +: WA] = a_in[i*WA +: WA];
      assign hv[i*(C+1)] = a_valid[i];
      assign hf[i*(C+1)] = a_first[i];
      assign a_out[i*WA +: WA] = ha[(i*(C+1)+C)*WA +: WA];
      assign a_valid_out[i] = hv[i*(C+1)+C];
      assign a_first_out[i] = hf[i*(C+1)+C];
    end
    for (j = 0; j < C; j = j + 1) begin : g_col
      assign vb[j*WB +: WB] = b_in[j*WB +: WB];
      assign vp[j*ACC +: ACC] = psum_in[j*ACC +: ACC];
      assign b_out[j*WB +: WB] = vb[(R*C+j)*WB +: WB];
      assign psum_out[j*ACC +: ACC] = vp[(R*C+j)*ACC +: ACC];
      assign psum_valid[j] = pv[(R-1)*C+j];
    end
    for (i = 0; i < R; i = i + 1) begin : g_pe_row
      for (j = 0; j < C; j = j + 1) begin : g_pe
        localparam integer H = i * (C + 1) + j;  // this PE's left net
        localparam integer V = i * C + j;        // this PE's upper net
        emlsim_pe #(.WA(WA), .WB(WB), .ACC(ACC), .SIGNED(SIGNED)) pe (
            .clk(clk), .rst(rst), .ws(ws), .load(load), .drain(drain),
            .a_in(ha[H*WA +: WA]), .a_valid_in(hv[H]), .a_first_in(hf[H]),
            .b_in(vb[V*WB +: WB]), .psum_in(vp[V*ACC +: ACC]),
            .a_out(ha[(H+1)*WA +: WA]), .a_valid_out(hv[H+1]), .a_first_out(hf[H+1]),
            .b_out(vb[(V+C)*WB +: WB]), .psum_out(vp[(V+C)*ACC +: ACC]),
            .psum_valid(pv[V]));
        assign mac[V] = hv[H+1];
      end
    end
  endgenerate

  reg load_q;
  always @(posedge clk) load_q <= !rst && load;
  assign busy = load_q | (|mac);
endmodule
