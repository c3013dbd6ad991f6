/* chart.c - charts as inline SVG: axes with units, a legend in HTML
 * (so that a long group name wraps and is never cut), colours that
 * people with any common colour-vision deficiency tell apart (Okabe
 * and Ito, "Color Universal Design", 2008), and a dash pattern on top
 * of the colour past the seventh series. */
#include <math.h>

#include "report/report.h"

static const char *const colour[] = {
	"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
	"#000000",
};
enum { NCOLOUR = sizeof colour / sizeof *colour };
static const char *const dash[] = { "", "6 3", "2 2", "8 3 2 3" };
/* fills of the shares of a stack: the same, and yellow and grey */
static const char *const fill[] = {
	"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
	"#F0E442", "#000000", "#999999",
};
enum { NFILL = sizeof fill / sizeof *fill };

enum { W = 640, ML = 64, MR = 16, MT = 14, MB = 48 };

static void stroke(sb *b, size_t k)
{
	sb_printf(b, " stroke=\"%s\"", colour[k % NCOLOUR]);
	if (*dash[k / NCOLOUR % 4])
		sb_printf(b, " stroke-dasharray=\"%s\"", dash[k / NCOLOUR % 4]);
}

/* A round step for about five ticks up to max. */
static double tick_step(double max, bool percent)
{
	double raw = max / 5, mag, f;

	if (!(raw > 0))
		return percent ? 0.2 : 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static void tick_label(sb *b, double v, bool percent)
{
	if (percent)
		sb_printf(b, "%g%%", round(v * 1000) / 10);
	else
		cot__html_num(b, v);
}

static double data_max(const chart *c)
{
	double m = 0;

	for (size_t k = 0; k < c->ns; k++)
		for (size_t j = 0; j < c->npoints; j++)
			if (c->s[k].y[j] > m)
				m = c->s[k].y[j];
	return m;
}

static void open_svg(sb *b, const chart *c, int h)
{
	sb_printf(b, "<figure class=\"chart\" id=\"%s\"><figcaption>", c->id);
	cot__html_cstr(b, c->title);
	sb_printf(b, "</figcaption><svg viewBox=\"0 0 %d %d\" role=\"img\" "
		  "aria-labelledby=\"%s-t\"><title id=\"%s-t\">", W, h, c->id,
		  c->id);
	cot__html_cstr(b, c->title);
	sb_puts(b, "</title>");
}

/* The value axis: vertical (lines) or horizontal (bars), with grid
 * lines, its ticks and its label. */
static void value_axis(sb *b, const chart *c, double top, bool vertical,
		       int x0, int y0, int len, int across)
{
	double step = tick_step(top, c->percent);

	sb_printf(b, "<g class=\"axis %s\">", vertical ? "y" : "x");
	for (double v = 0; v <= top * (1 + 1e-9); v += step) {
		double at = len * v / top;

		if (vertical) {
			double y = y0 - at;

			sb_printf(b, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" "
				  "y1=\"%.1f\" y2=\"%.1f\"/>", x0, x0 + across,
				  y, y);
			sb_printf(b, "<text x=\"%d\" y=\"%.1f\" "
				  "text-anchor=\"end\" dy=\"0.32em\">", x0 - 6,
				  y);
		} else {
			double x = x0 + at;

			sb_printf(b, "<line class=\"grid\" x1=\"%.1f\" "
				  "x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>", x, x,
				  y0 - across, y0);
			sb_printf(b, "<text x=\"%.1f\" y=\"%d\" "
				  "text-anchor=\"middle\">", x, y0 + 16);
		}
		tick_label(b, v, c->percent);
		sb_puts(b, "</text>");
	}
	if (vertical) {
		sb_printf(b, "<line class=\"domain\" x1=\"%d\" x2=\"%d\" "
			  "y1=\"%d\" y2=\"%d\"/>", x0, x0, y0 - len, y0);
		sb_printf(b, "<text class=\"label\" transform=\"translate(14 "
			  "%d) rotate(-90)\" text-anchor=\"middle\">",
			  y0 - len / 2);
		cot__html_cstr(b, c->ylabel);
	} else {
		sb_printf(b, "<line class=\"domain\" x1=\"%d\" x2=\"%d\" "
			  "y1=\"%d\" y2=\"%d\"/>", x0, x0 + len, y0, y0);
		sb_printf(b, "<text class=\"label\" x=\"%d\" y=\"%d\" "
			  "text-anchor=\"middle\">", x0 + len / 2, y0 + 36);
		cot__html_cstr(b, c->xlabel);
	}
	sb_puts(b, "</text></g>");
}

void cot__chart_legend(sb *b, const series *s, size_t ns, bool stacked)
{
	sb_puts(b, "<ul class=\"legend\">");
	for (size_t k = 0; k < ns; k++) {
		if (stacked) {
			sb_printf(b, "<li><svg class=\"key\" viewBox=\"0 0 "
				  "14 14\" aria-hidden=\"true\"><rect "
				  "width=\"14\" height=\"14\" fill=\"%s\"/>"
				  "</svg>", fill[k % NFILL]);
		} else {
			sb_puts(b, "<li><svg class=\"key\" viewBox=\"0 0 28 "
				"14\" aria-hidden=\"true\"><line x1=\"0\" "
				"x2=\"28\" y1=\"7\" y2=\"7\" stroke-width=\"3\"");
			stroke(b, k);
			sb_puts(b, "/></svg>");
		}
		cot__html_cstr(b, s[k].name);
		sb_puts(b, "</li>");
	}
	sb_puts(b, "</ul>");
}

void cot__chart_lines(sb *b, const chart *c)
{
	int h = 280, pw = W - ML - MR, ph = h - MT - MB;
	double top = c->ymax > 0 ? c->ymax : data_max(c);
	double step;

	if (!(top > 0))
		top = c->percent ? 1 : 1;
	step = tick_step(top, c->percent);
	top = ceil(top / step - 1e-9) * step;
	open_svg(b, c, h);
	value_axis(b, c, top, true, ML, MT + ph, ph, pw);
	/* the points' axis: a tick per point, a label where given */
	sb_puts(b, "<g class=\"axis x\">");
	sb_printf(b, "<line class=\"domain\" x1=\"%d\" x2=\"%d\" y1=\"%d\" "
		  "y2=\"%d\"/>", ML, ML + pw, MT + ph, MT + ph);
	for (size_t j = 0; j < c->npoints; j++) {
		double x = ML + pw * (j + 0.5) / c->npoints;

		if (!c->xticks[j])
			continue;
		sb_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" "
			  "y2=\"%d\"/><text x=\"%.1f\" y=\"%d\" "
			  "text-anchor=\"middle\">", x, x, MT + ph,
			  MT + ph + 4, x, MT + ph + 16);
		cot__html_cstr(b, c->xticks[j]);
		sb_puts(b, "</text>");
	}
	sb_printf(b, "<text class=\"label\" x=\"%d\" y=\"%d\" "
		  "text-anchor=\"middle\">", ML + pw / 2, h - 8);
	cot__html_cstr(b, c->xlabel);
	sb_puts(b, "</text></g>");
	for (size_t k = 0; k < c->ns; k++) {
		bool open = false;

		sb_puts(b, "<g class=\"series\" fill=\"none\" "
			"stroke-width=\"2\"");
		stroke(b, k);
		sb_puts(b, "><title>");
		cot__html_cstr(b, c->s[k].name);
		sb_puts(b, "</title>");
		for (size_t j = 0; j <= c->npoints; j++) {
			double y = j < c->npoints ? c->s[k].y[j] : NAN;

			if (isnan(y)) {
				if (open)
					sb_puts(b, "\"/>");
				open = false;
				continue;
			}
			sb_printf(b, "%s%.1f,%.1f", open ? " " :
				  "<polyline points=\"",
				  ML + pw * (j + 0.5) / c->npoints,
				  MT + ph - ph * (y > top ? top : y) / top);
			open = true;
		}
		/* a dot at each point: a point alone between gaps shows */
		for (size_t j = 0; j < c->npoints; j++) {
			double y = c->s[k].y[j];

			/* data-i, data-v: the point and its value, exactly,
			 * for a reader of the page (and its tests) */
			if (!isnan(y))
				sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" "
					  "r=\"2\" fill=\"%s\" stroke=\"none\" "
					  "data-i=\"%zu\" data-v=\"%.17g\"/>",
					  ML + pw * (j + 0.5) / c->npoints,
					  MT + ph - ph * (y > top ? top : y) /
					  top, colour[k % NCOLOUR], j, y);
		}
		sb_puts(b, "</g>");
	}
	sb_puts(b, "</svg>");
	cot__chart_legend(b, c->s, c->ns, false);
	sb_puts(b, "</figure>");
}

void cot__chart_bars(sb *b, const chart *c)
{
	int bar = 9, gap = 10, lm = 190;
	int ph = (int)(c->npoints * (c->ns * bar + gap));
	int h = ph + MT + MB, pw = W - lm - MR;
	double top = c->ymax > 0 ? c->ymax : data_max(c), step;

	if (!(top > 0))
		top = 1;
	step = tick_step(top, c->percent);
	top = ceil(top / step - 1e-9) * step;
	open_svg(b, c, h);
	value_axis(b, c, top, false, lm, MT + ph, pw, ph);
	sb_puts(b, "<g class=\"axis y\">");
	for (size_t j = 0; j < c->npoints; j++) {
		double y = MT + j * (c->ns * bar + gap) + c->ns * bar / 2.0;

		sb_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
			  "dy=\"0.32em\">", lm - 6, y);
		cot__html_cstr(b, c->xticks[j] ? c->xticks[j] : "");
		sb_puts(b, "</text>");
	}
	sb_printf(b, "<line class=\"domain\" x1=\"%d\" x2=\"%d\" y1=\"%d\" "
		  "y2=\"%d\"/></g>", lm, lm, MT, MT + ph);
	for (size_t k = 0; k < c->ns; k++) {
		sb_printf(b, "<g class=\"series\" fill=\"%s\">",
			  colour[k % NCOLOUR]);
		for (size_t j = 0; j < c->npoints; j++) {
			double v = c->s[k].y[j];
			double y = MT + j * (c->ns * bar + gap) + k * bar;

			if (isnan(v))
				continue;
			sb_printf(b, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" "
				  "height=\"%d\"><title>", lm, y,
				  pw * (v > top ? top : v) / top, bar - 1);
			cot__html_cstr(b, c->s[k].name);
			sb_puts(b, ", ");
			cot__html_cstr(b, c->xticks[j] ? c->xticks[j] : "");
			sb_puts(b, ": ");
			tick_label(b, v, c->percent);
			sb_puts(b, "</title></rect>");
		}
		sb_puts(b, "</g>");
	}
	sb_puts(b, "</svg>");
	/* a bar's pattern cannot be dashed: past the seventh series the
	 * colours repeat, and the bars' order in each row tells them */
	cot__chart_legend(b, c->s, c->ns, false);
	sb_puts(b, "</figure>");
}

void cot__chart_stack(sb *b, const chart *c)
{
	int pw = W - 2 * MR;

	sb_printf(b, "<figure class=\"chart stack\" id=\"%s\"><figcaption>",
		  c->id);
	cot__html_cstr(b, c->title);
	sb_puts(b, "</figcaption><table class=\"stack\">");
	for (size_t k = 0; k < c->ns; k++) {
		double x = 0;

		sb_puts(b, "<tr><th scope=\"row\">");
		cot__html_cstr(b, c->s[k].name);
		sb_printf(b, "</th><td><svg viewBox=\"0 0 %d 18\" role=\"img\" "
			  "aria-label=\"", pw);
		cot__html_cstr(b, c->s[k].name);
		sb_puts(b, "\">");
		for (size_t j = 0; j < c->npoints; j++) {
			double v = c->s[k].y[j];

			if (isnan(v) || v <= 0)
				continue;
			sb_printf(b, "<rect x=\"%.2f\" width=\"%.2f\" "
				  "height=\"18\" fill=\"%s\"><title>", x * pw,
				  v * pw, fill[j % NFILL]);
			cot__html_cstr(b, c->xticks[j] ? c->xticks[j] : "");
			sb_puts(b, ": ");
			tick_label(b, v, true);
			sb_puts(b, "</title></rect>");
			x += v;
		}
		sb_puts(b, "</svg></td></tr>");
	}
	/* the shares' axis, under the bars */
	sb_printf(b, "<tr><th></th><td><svg viewBox=\"0 0 %d 44\" "
		  "role=\"img\" aria-label=\"", pw);
	cot__html_cstr(b, c->xlabel);
	sb_puts(b, "\"><g class=\"axis x\">");
	sb_printf(b, "<line class=\"domain\" x1=\"0\" x2=\"%d\" y1=\"1\" "
		  "y2=\"1\"/>", pw);
	for (int t = 0; t <= 4; t++) {
		int x = pw * t / 4;

		sb_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"1\" y2=\"5\"/>"
			  "<text x=\"%d\" y=\"17\" text-anchor=\"%s\">%d%%"
			  "</text>", x, x, x, t == 0 ? "start" : t == 4 ?
			  "end" : "middle", 25 * t);
	}
	sb_printf(b, "<text class=\"label\" x=\"%d\" y=\"38\" "
		  "text-anchor=\"middle\">", pw / 2);
	cot__html_cstr(b, c->xlabel);
	sb_puts(b, "</text></g></svg></td></tr></table>");
	{
		/* the legend names the shares, not the rows */
		series *names = cot__calloc(c->npoints ? c->npoints : 1,
					    sizeof *names);

		if (!names) {
			b->failed = true;
			return;
		}
		for (size_t j = 0; j < c->npoints; j++)
			names[j].name = c->xticks[j] ? c->xticks[j] : "";
		cot__chart_legend(b, names, c->npoints, true);
		cot__free(names);
	}
	sb_puts(b, "</figure>");
}
