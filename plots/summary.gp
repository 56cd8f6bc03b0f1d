# summary.gp: summary: the one-page answer: memory per connection (left) and
# throughput (right) of every model at the largest count it served, C models
# then Python (a gap between them), one colour per model.
reset
load plots_dir.'/common.gp'
unset key
set style fill solid 0.85 border rgb '#333333'
set boxwidth 0.7
set grid noxtics ytics
set xtics rotate by -35 left font ',10' nomirror
set bmargin 7 + note_lines
# x: row number, plus a gap of 1 before the first Python model
xpos(row, grp) = row + grp * 1.0
# the model's colour as a number (lc rgb variable), by row: rows follow models
rowc(row) = ('0x'.mcolor(word(models, int(row) + 1))[2:7]) + 0
if (have_rows == 0) { @no_data } else {
set multiplot layout 1,2 title chart_title font 'Sans,13'
unset title
set title 'memory per connection (KiB, log)' font 'Sans,11'
set logscale y
set yrange [1:*]
set offsets 0.6, 0.6, 0, 0
plot 'summary.bars.dat' using (xpos($0, $6)):2:(rowc($0)) with boxes lc rgb variable, \
     '' using (xpos($0, $6)):2:(sprintf('%.1f', $2)) with labels offset 0,0.8 font ',9', \
     '' using (xpos($0, $6)):(NaN):xtic(1) notitle
unset label 101  # the note once, not under both panels
unset logscale y
set title 'throughput (requests/s)' font 'Sans,11'
set yrange [0:*]
set format y '%.0s%c'
plot 'summary.bars.dat' using (xpos($0, $6)):3:(rowc($0)) with boxes lc rgb variable, \
     '' using (xpos($0, $6)):3:4:5 with yerrorbars lc rgb '#222222' pt 0, \
     '' using (xpos($0, $6)):(NaN):xtic(1) notitle
unset multiplot
}
