# hbars.gp: stacked horizontal bars of memory per connection, C models (and
# nginx) left, Python models right (models_c, models_py), one x scale for both
# panels; model names read level on the y axis, each bar's total just past its
# end, the parts' key once under the panels. The caller sets bars_file (rows
# "label" part1 .. partN), nparts, ptitle(k), pcolor(k), and sides: '' for one
# bar per model (label = model), else the words after the model in its labels
# ('server client': a bar each, a gap between models).
if (!exists("models_c")) { models_c = models; models_py = '' }
set style fill solid 0.85 border rgb '#333333'
unset title
set grid xtics noytics nomxtics nomytics
set border 3
set xlabel 'memory per connection (KiB)'
set format x '%g'
set ytics nomirror font 'Sans,10' scale 0
nside = words(sides) > 0 ? words(sides) : 1
step = nside + (nside > 1)
widx(w, list) = sum [j=1:words(list)] (word(list, j) eq w ? j : 0)
lmodel(s) = nside == 1 ? s : s[1:strstrt(s, ' ') - 1]
lside(s) = nside == 1 ? 1 : widx(s[strstrt(s, ' ') + 1:], sides)
# the row of a label in the panel of list (NaN when its model is elsewhere)
rowof(s, list) = widx(lmodel(s), list) == 0 ? NaN : (widx(lmodel(s), list) - 1) * step + lside(s)
nrows(list) = words(list) * step - (nside > 1)
cum(k) = k < 1 ? 0 : sum [j=2:k+1] (column(j) > 0 ? column(j) : 0)
total = 0
if (words(models) > 0) {
    stats bars_file using (cum(nparts)) nooutput
    total = STATS_max
}
rows = nrows(models_c) > nrows(models_py) ? nrows(models_c) : nrows(models_py)
rows = rows < 6 ? 6 : rows
ngroups = (words(models_c) > 0) + (words(models_py) > 0)
if (ngroups == 0) { @no_data } else {
    bot = 0.17 + 0.022 * note_lines
    if (ngroups == 2) {
        set multiplot layout 1,2 title chart_title font 'Sans,13' margins 0.15, 0.97, bot, 0.88 spacing 0.17, 0
    } else {
        set multiplot layout 1,1 title chart_title font 'Sans,13' margins 0.17, 0.97, bot, 0.88
    }
    set xrange [0 : (total > 0 ? total * 1.2 : 1)]
    set yrange [rows + 0.6 : 0.4]
    unset key
    do for [g=1:2] {
        list = g == 1 ? models_c : models_py
        if (words(list) > 0) {
            if (ngroups == 2) { set title (g == 1 ? 'C models (and nginx)' : 'Python models') font 'Sans,11' }
            set ytics ()
            do for [j=1:words(list)] {
                do for [k=1:nside] {
                    set ytics add ((nside == 1 ? word(list, j) : word(list, j).' '.word(sides, k)) (j - 1) * step + k)
                }
            }
            plot for [k=1:nparts] bars_file using (cum(k - 1)):(rowof(strcol(1), list)):(cum(k - 1)):(cum(k)):(rowof(strcol(1), list) - 0.36):(rowof(strcol(1), list) + 0.36) \
                    with boxxyerror lc rgb pcolor(k) notitle, \
                 bars_file using (cum(nparts)):(rowof(strcol(1), list)):(sprintf('%.1f', cum(nparts))) \
                    with labels left offset 0.6, 0 font 'Sans,9' notitle
            unset label 101  # the note once, not under every panel
        }
    }
    # the parts' key once, centred under both panels: a plot of nothing but its key
    unset title; unset xlabel; unset ylabel; unset tics; unset border; unset grid
    set lmargin at screen 0.05; set rmargin at screen 0.95
    set tmargin at screen bot - 0.085; set bmargin at screen bot - 0.145
    set key center center horizontal Left reverse noenhanced font 'Sans,9' samplen 1.5 width 1
    set xrange [0:1]; set yrange [0:1]
    plot for [k=1:nparts] NaN with boxes lc rgb pcolor(k) title ptitle(k)
    unset multiplot
}
