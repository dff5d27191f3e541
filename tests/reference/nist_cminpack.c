/* MINPACK (cminpack 1.3.6, the C port) on the NIST StRD nonlinear-regression problems of
 * data/nist-strd/, from both starts: compiled reference times beside this crate's
 * (cargo bench --bench lsq), without Python's overhead.
 *
 * Three runs per (problem, start):
 *   lmdif1       finite differences, lmdif1's defaults: tol = sqrt(eps) for ftol and xtol,
 *                gtol = 0, maxfev = 200 (n + 1), epsfcn = 0 (steps sqrt(eps) |x|), mode 1,
 *                factor 100;
 *   lmdif_scipy  finite differences, scipy's least_squares(method='lm') defaults:
 *                ftol = xtol = gtol = 1e-8, epsfcn = eps, maxfev 100000, mode 1, factor 100;
 *   lmder_tight  hand-coded exact Jacobians, ftol = xtol = gtol = 1e-15, maxfev 100000,
 *                mode 1, factor 100.
 * Each run records the residual-vector calls (for lmdif, those of its finite differences
 * apart), Jacobian calls (lmder), the minimum over the parameters of the log relative error
 * against NIST's certified values, MINPACK's info, and the CPU time per solve: CPU time of the
 * thread (CLOCK_THREAD_CPUTIME_ID), batches of repeated solves lasting at least 20 ms, the
 * median of 5 batches (as benches/lsq.rs times this crate).
 *
 * Before timing, every hand-coded Jacobian is checked against central differences at both
 * starts (the program stops if a column disagrees beyond 1e-5 relative to its norm plus the
 * differences' rounding error).
 *
 *   make -C tests/reference                 # needs libcminpack-dev (apt-get install)
 *   tests/reference/nist_cminpack data/nist-strd > tests/reference/nist_cminpack.json
 *   # instructions of one solve: COUNT and 0 solves under callgrind, the difference / COUNT;
 *   # nist_cminpack_cg is the same program for baseline x86-64 (valgrind cannot run the
 *   # AVX-512 that -march=native may emit; the library itself is Debian's, baseline x86-64)
 *   make -C tests/reference nist_cminpack_cg
 *   valgrind --tool=callgrind tests/reference/nist_cminpack_cg --callgrind data/nist-strd Rat42 2 lmdif1 20
 */
#include <cminpack.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXP 9
#define MAXM 300

typedef struct {
    const char *name;
    int model;
    int n, m;
    double start[2][MAXP], certified[MAXP];
    double x[MAXM], y[MAXM];
    int fcalls, fdcalls, jcalls;
} Problem;

enum {
    EXP_RISE, CHWIRUT, LANCZOS, GAUSS, DANWOOD, KIRBY2, HAHN1, MGH17, MISRA1C, ENSO, MGH09,
    ECKERLE4, MISRA1B, MISRA1D, BENNETT5, MGH10, RAT42, RAT43
};

static const struct {
    const char *name;
    int model;
} PROBLEMS[25] = {
    {"Misra1a", EXP_RISE}, {"Chwirut2", CHWIRUT}, {"Lanczos3", LANCZOS}, {"Gauss1", GAUSS},
    {"DanWood", DANWOOD}, {"Kirby2", KIRBY2}, {"Hahn1", HAHN1}, {"MGH17", MGH17},
    {"Lanczos1", LANCZOS}, {"Misra1c", MISRA1C}, {"ENSO", ENSO}, {"MGH09", MGH09},
    {"Thurber", HAHN1}, {"BoxBOD", EXP_RISE}, {"Eckerle4", ECKERLE4}, {"Chwirut1", CHWIRUT},
    {"Gauss2", GAUSS}, {"Misra1b", MISRA1B}, {"Lanczos2", LANCZOS}, {"Gauss3", GAUSS},
    {"Misra1d", MISRA1D}, {"MGH10", MGH10}, {"Rat42", RAT42}, {"Rat43", RAT43},
    {"Bennett5", BENNETT5},
};

static const double TAU = 6.283185307179586476925286766559;

/* f(x; b) and, if g is not NULL, its gradient in b, by hand. */
static double model(int id, const double *b, double x, double *g) {
    switch (id) {
    case EXP_RISE: { /* b0 (1 - exp(-b1 x)) */
        double e = exp(-b[1] * x);
        if (g) { g[0] = 1 - e; g[1] = b[0] * x * e; }
        return b[0] * (1 - e);
    }
    case CHWIRUT: { /* exp(-b0 x) / (b1 + b2 x) */
        double e = exp(-b[0] * x), u = b[1] + b[2] * x;
        if (g) { g[0] = -x * e / u; g[1] = -e / (u * u); g[2] = -x * e / (u * u); }
        return e / u;
    }
    case LANCZOS: { /* b0 exp(-b1 x) + b2 exp(-b3 x) + b4 exp(-b5 x) */
        double f = 0;
        for (int k = 0; k < 6; k += 2) {
            double e = exp(-b[k + 1] * x);
            if (g) { g[k] = e; g[k + 1] = -b[k] * x * e; }
            f += b[k] * e;
        }
        return f;
    }
    case GAUSS: { /* b0 exp(-b1 x) + b2 exp(-(x-b3)^2/b4^2) + b5 exp(-(x-b6)^2/b7^2) */
        double e = exp(-b[1] * x), f = b[0] * e;
        if (g) { g[0] = e; g[1] = -b[0] * x * e; }
        for (int k = 2; k < 8; k += 3) {
            double z = x - b[k + 1], w = b[k + 2], q = exp(-z * z / (w * w));
            if (g) {
                g[k] = q;
                g[k + 1] = b[k] * q * 2 * z / (w * w);
                g[k + 2] = b[k] * q * 2 * z * z / (w * w * w);
            }
            f += b[k] * q;
        }
        return f;
    }
    case DANWOOD: { /* b0 x^b1 */
        double p = pow(x, b[1]);
        if (g) { g[0] = p; g[1] = b[0] * p * log(x); }
        return b[0] * p;
    }
    case KIRBY2: { /* (b0 + b1 x + b2 x^2) / (1 + b3 x + b4 x^2) */
        double nu = b[0] + b[1] * x + b[2] * x * x, de = 1 + b[3] * x + b[4] * x * x;
        if (g) {
            g[0] = 1 / de; g[1] = x / de; g[2] = x * x / de;
            g[3] = -nu * x / (de * de); g[4] = -nu * x * x / (de * de);
        }
        return nu / de;
    }
    case HAHN1: { /* (b0 + b1 x + b2 x^2 + b3 x^3) / (1 + b4 x + b5 x^2 + b6 x^3) */
        double x2 = x * x, x3 = x2 * x;
        double nu = b[0] + b[1] * x + b[2] * x2 + b[3] * x3;
        double de = 1 + b[4] * x + b[5] * x2 + b[6] * x3;
        if (g) {
            g[0] = 1 / de; g[1] = x / de; g[2] = x2 / de; g[3] = x3 / de;
            g[4] = -nu * x / (de * de); g[5] = -nu * x2 / (de * de); g[6] = -nu * x3 / (de * de);
        }
        return nu / de;
    }
    case MGH17: { /* b0 + b1 exp(-x b3) + b2 exp(-x b4) */
        double e3 = exp(-x * b[3]), e4 = exp(-x * b[4]);
        if (g) { g[0] = 1; g[1] = e3; g[2] = e4; g[3] = -x * b[1] * e3; g[4] = -x * b[2] * e4; }
        return b[0] + b[1] * e3 + b[2] * e4;
    }
    case MISRA1C: { /* b0 (1 - (1 + 2 b1 x)^(-1/2)) */
        double u = 1 + 2 * b[1] * x, s = 1 / sqrt(u);
        if (g) { g[0] = 1 - s; g[1] = b[0] * x * s / u; }
        return b[0] * (1 - s);
    }
    case ENSO: {
        double c = TAU * x / 12, f = b[0] + b[1] * cos(c) + b[2] * sin(c);
        if (g) { g[0] = 1; g[1] = cos(c); g[2] = sin(c); }
        for (int k = 3; k < 9; k += 3) {
            double a = TAU * x / b[k], ca = cos(a), sa = sin(a);
            if (g) {
                g[k] = (b[k + 1] * sa - b[k + 2] * ca) * TAU * x / (b[k] * b[k]);
                g[k + 1] = ca; g[k + 2] = sa;
            }
            f += b[k + 1] * ca + b[k + 2] * sa;
        }
        return f;
    }
    case MGH09: { /* b0 (x^2 + x b1) / (x^2 + x b2 + b3) */
        double nu = x * x + x * b[1], de = x * x + x * b[2] + b[3];
        if (g) {
            g[0] = nu / de; g[1] = b[0] * x / de;
            g[2] = -b[0] * nu * x / (de * de); g[3] = -b[0] * nu / (de * de);
        }
        return b[0] * nu / de;
    }
    case ECKERLE4: { /* (b0 / b1) exp(-(x - b2)^2 / (2 b1^2)) */
        double z = (x - b[2]) / b[1], e = exp(-0.5 * z * z);
        if (g) {
            g[0] = e / b[1];
            g[1] = b[0] * e * (z * z - 1) / (b[1] * b[1]);
            g[2] = b[0] * e * z / (b[1] * b[1]);
        }
        return b[0] / b[1] * e;
    }
    case MISRA1B: { /* b0 (1 - (1 + b1 x / 2)^(-2)) */
        double u = 1 + b[1] * x / 2, s = 1 / (u * u);
        if (g) { g[0] = 1 - s; g[1] = b[0] * x * s / u; }
        return b[0] * (1 - s);
    }
    case MISRA1D: { /* b0 b1 x / (1 + b1 x) */
        double u = 1 + b[1] * x;
        if (g) { g[0] = b[1] * x / u; g[1] = b[0] * x / (u * u); }
        return b[0] * b[1] * x / u;
    }
    case BENNETT5: { /* b0 (b1 + x)^(-1/b2) */
        double u = b[1] + x, p = pow(u, -1 / b[2]);
        if (g) { g[0] = p; g[1] = -b[0] * p / (b[2] * u); g[2] = b[0] * p * log(u) / (b[2] * b[2]); }
        return b[0] * p;
    }
    case MGH10: { /* b0 exp(b1 / (x + b2)) */
        double u = x + b[2], e = exp(b[1] / u);
        if (g) { g[0] = e; g[1] = b[0] * e / u; g[2] = -b[0] * e * b[1] / (u * u); }
        return b[0] * e;
    }
    case RAT42: { /* b0 / (1 + exp(b1 - b2 x)) */
        double e = exp(b[1] - b[2] * x), u = 1 + e;
        if (g) { g[0] = 1 / u; g[1] = -b[0] * e / (u * u); g[2] = b[0] * x * e / (u * u); }
        return b[0] / u;
    }
    case RAT43: { /* b0 / (1 + exp(b1 - b2 x))^(1/b3) */
        double e = exp(b[1] - b[2] * x), u = 1 + e, p = pow(u, -1 / b[3]);
        if (g) {
            g[0] = p;
            g[1] = -b[0] * p * e / (b[3] * u);
            g[2] = b[0] * p * x * e / (b[3] * u);
            g[3] = b[0] * p * log(u) / (b[3] * b[3]);
        }
        return b[0] * p;
    }
    }
    abort();
}

static int fcn(void *ctx, int m, int n, const double *b, double *fvec, int iflag) {
    Problem *p = ctx;
    (void)n;
    if (iflag == 2) p->fdcalls++; else if (iflag == 1) p->fcalls++;
    if (iflag == 0) return 0;
    for (int i = 0; i < m; i++) fvec[i] = model(p->model, b, p->x[i], NULL) - p->y[i];
    return 0;
}

static int fcnder(void *ctx, int m, int n, const double *b, double *fvec, double *fjac,
                  int ldfjac, int iflag) {
    Problem *p = ctx;
    double g[MAXP];
    if (iflag == 1) {
        p->fcalls++;
        for (int i = 0; i < m; i++) fvec[i] = model(p->model, b, p->x[i], NULL) - p->y[i];
    } else if (iflag == 2) {
        p->jcalls++;
        for (int i = 0; i < m; i++) {
            model(p->model, b, p->x[i], g);
            for (int k = 0; k < n; k++) fjac[k * ldfjac + i] = g[k];
        }
    }
    return 0;
}

static void load(Problem *p, const char *dir, const char *name) {
    char path[1024], line[512];
    snprintf(path, sizeof path, "%s/%s.dat", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) { fprintf(stderr, "cannot read %s\n", path); exit(1); }
    p->name = name;
    p->n = p->m = 0;
    int data = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Data:", 5) == 0) { data = 1; p->m = 0; continue; }
        char *s = line;
        while (*s == ' ' || *s == '\t') s++;
        double v[4], xv, yv;
        int k;
        if (s[0] == 'b' && sscanf(s, "b%d = %lf %lf %lf %lf", &k, &v[0], &v[1], &v[2], &v[3]) == 5) {
            p->start[0][p->n] = v[0];
            p->start[1][p->n] = v[1];
            p->certified[p->n] = v[2];
            p->n++;
        } else if (data && sscanf(s, "%lf %lf", &yv, &xv) == 2) {
            if (p->m >= MAXM) { fprintf(stderr, "%s: too many rows\n", name); exit(1); }
            p->y[p->m] = yv;
            p->x[p->m] = xv;
            p->m++;
        }
    }
    fclose(f);
}

static double lre(double v, double c) {
    if (!isfinite(v)) return 0;
    double rel = fabs(v - c) / fabs(c);
    if (rel == 0) return 11;
    double l = -log10(rel);
    return l < 0 ? 0 : (l > 11 ? 11 : l);
}

static double min_lre(const Problem *p, const double *b) {
    double l = 11;
    for (int k = 0; k < p->n; k++) {
        double v = lre(b[k], p->certified[k]);
        if (v < l) l = v;
    }
    return l;
}

/* Central differences against the hand-coded gradient at b, per column relative to its norm. */
static void check_jacobian(const Problem *p, const double *b0) {
    for (int k = 0; k < p->n; k++) {
        double num = 0, den = 0, fscale = 0, h = b0[k] != 0 ? 1e-6 * fabs(b0[k]) : 1e-8;
        for (int i = 0; i < p->m; i++) {
            double g[MAXP], b[MAXP];
            memcpy(b, b0, sizeof b);
            model(p->model, b, p->x[i], g);
            b[k] = b0[k] + h;
            double fp = model(p->model, b, p->x[i], NULL);
            b[k] = b0[k] - h;
            double fm = model(p->model, b, p->x[i], NULL);
            double fd = (fp - fm) / (2 * h);
            fscale = fmax(fscale, fabs(fp));
            num += (fd - g[k]) * (fd - g[k]);
            den += g[k] * g[k];
        }
        /* beyond the truncation error and the rounding error of the differences */
        if (!(sqrt(num) <= 1e-5 * sqrt(den) + 1e-13 * sqrt(p->m) * fscale / h)) {
            fprintf(stderr, "%s: column %d of the hand-coded Jacobian disagrees (%g of %g)\n",
                    p->name, k, sqrt(num), sqrt(den));
            exit(1);
        }
    }
}

enum { LMDIF1, LMDIF_SCIPY, LMDER_TIGHT };

typedef struct {
    int info, nfev, njev;
    double b[MAXP];
} Run;

static Run solve(Problem *p, int start, int kind) {
    Run r;
    int n = p->n, m = p->m, ipvt[MAXP], nfev = 0, njev = 0;
    double fvec[MAXM], fjac[MAXM * MAXP], diag[MAXP], qtf[MAXP], wa1[MAXP], wa2[MAXP],
        wa3[MAXP], wa4[MAXM], wa[MAXM * MAXP + 5 * MAXP + MAXM];
    memcpy(r.b, p->start[start], sizeof r.b);
    p->fcalls = p->fdcalls = p->jcalls = 0;
    switch (kind) {
    case LMDIF1:
        r.info = lmdif1(fcn, p, m, n, r.b, fvec, sqrt(__cminpack_func__(dpmpar)(1)), ipvt, wa,
                        (int)(sizeof wa / sizeof wa[0]));
        break;
    case LMDIF_SCIPY:
        r.info = lmdif(fcn, p, m, n, r.b, fvec, 1e-8, 1e-8, 1e-8, 100000,
                       __cminpack_func__(dpmpar)(1), diag, 1, 100.0, 0, &nfev, fjac, m, ipvt,
                       qtf, wa1, wa2, wa3, wa4);
        break;
    default:
        r.info = lmder(fcnder, p, m, n, r.b, fvec, fjac, m, 1e-15, 1e-15, 1e-15, 100000, diag, 1,
                       100.0, 0, &nfev, &njev, ipvt, qtf, wa1, wa2, wa3, wa4);
    }
    r.nfev = p->fcalls;
    r.njev = kind == LMDER_TIGHT ? p->jcalls : p->fdcalls;
    return r;
}

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static volatile double sink;

/* Median CPU time of one solve, in microseconds. */
static double cpu_us(Problem *p, int start, int kind) {
    long n = 1;
    for (;;) {
        double t = cpu_seconds();
        for (long i = 0; i < n; i++) sink = solve(p, start, kind).b[0];
        if (cpu_seconds() - t > 0.02) break;
        n *= 4;
    }
    double times[5];
    for (int j = 0; j < 5; j++) {
        double t = cpu_seconds();
        for (long i = 0; i < n; i++) sink = solve(p, start, kind).b[0];
        times[j] = (cpu_seconds() - t) / n;
    }
    qsort(times, 5, sizeof times[0], cmp);
    return 1e6 * times[2];
}

int main(int argc, char **argv) {
    static const char *KEYS[3] = {"lmdif1", "lmdif_scipy", "lmder_tight"};
    if (argc == 7 && strcmp(argv[1], "--callgrind") == 0) {
        /* COUNT solves of one (problem, start, kind), nothing timed or printed: instruction
         * counts under valgrind --tool=callgrind, the difference of COUNT and 0 solves divided
         * by COUNT (as benches/callgrind.sh counts this crate's solves). */
        static Problem p;
        int q = 0;
        while (q < 25 && strcmp(PROBLEMS[q].name, argv[3]) != 0) q++;
        int start = atoi(argv[4]) - 1, kind = 0;
        while (kind < 3 && strcmp(KEYS[kind], argv[5]) != 0) kind++;
        if (q == 25 || start < 0 || start > 1 || kind == 3) {
            fprintf(stderr, "usage: %s --callgrind DIR PROBLEM START lmdif1|lmdif_scipy|lmder_tight COUNT\n", argv[0]);
            return 2;
        }
        p.model = PROBLEMS[q].model;
        load(&p, argv[2], PROBLEMS[q].name);
        for (long i = 0, n = atol(argv[6]); i < n; i++) sink = solve(&p, start, kind).b[0];
        return 0;
    }
    const char *dir = argc > 1 ? argv[1] : "data/nist-strd";
    printf("{\n  \"generator\": \"tests/reference/nist_cminpack.c (cminpack %s)\",\n  \"rows\": [\n",
           "1.3.6");
    for (int q = 0; q < 25; q++) {
        static Problem p;
        p.model = PROBLEMS[q].model;
        load(&p, dir, PROBLEMS[q].name);
        check_jacobian(&p, p.start[0]);
        check_jacobian(&p, p.start[1]);
        for (int start = 0; start < 2; start++) {
            printf("    {\"problem\": \"%s\", \"start\": %d", p.name, start + 1);
            for (int kind = 0; kind < 3; kind++) {
                Run r = solve(&p, start, kind);
                double t = cpu_us(&p, start, kind);
                printf(", \"%s\": {\"info\": %d, \"nfev\": %d, \"%s\": %d, \"min_lre\": %.2f, "
                       "\"cpu_us\": %.2f}",
                       KEYS[kind], r.info, r.nfev, kind == LMDER_TIGHT ? "njev" : "fd_evals",
                       r.njev, min_lre(&p, r.b), t);
            }
            printf("}%s\n", q == 24 && start == 1 ? "" : ",");
            fflush(stdout);
        }
    }
    printf("  ]\n}\n");
    return 0;
}
