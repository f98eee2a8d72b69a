#include "resampler.h"

#include <QColorSpace>
#include <QtEndian>
#include <QtGlobal>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#define SLUICE_RESAMPLE_SSE2 1
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
// AVX2 versions of the two 8-bit inner loops, compiled for AVX2 alone and chosen at run time.
#include <immintrin.h>
#define SLUICE_RESAMPLE_AVX2 1
#endif
#endif

namespace sluice {

namespace {

// 8-bit images: weights in 14-bit fixed point (sum exactly 1 << 14, so a flat area stays exactly
// flat), the rows between the two passes as int16 with 6 fractional bits: room for Lanczos'
// overshoot (-512 to +511 levels) and enough precision that the two passes round only once
// in effect. Every product and sum fits in 32 bits: |value| <= 2^15, sum of |weights| < 2^15.
constexpr int WeightBits = 14;
constexpr int WeightOne = 1 << WeightBits;
constexpr int MidBits = 6;
constexpr int HorizontalShift = WeightBits - MidBits;
constexpr int VerticalShift = WeightBits + MidBits;

// One axis of a separable filter: for every output index, `count` weights over the source
// indexes first[i] .. first[i] + count - 1 (all inside the source; unused taps weigh 0).
struct Taps
{
    int count = 0;
    std::vector<int> first;
    std::vector<float> weights;
    std::vector<int16_t> fixed;
};

struct Kernel
{
    double support; // the kernel is 0 outside [-support, support] (in source pixels at scale 1)
    double sigma;   // Gaussian only
    double (*eval)(double x, double sigma);
};

double sinc(double x)
{
    if (x == 0.0)
        return 1.0;
    x *= M_PI;
    return std::sin(x) / x;
}

double lanczos3(double x, double)
{
    x = std::fabs(x);
    return x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
}

double gaussian(double x, double sigma)
{
    return std::exp(-x * x / (2.0 * sigma * sigma));
}

constexpr Kernel Lanczos3{3.0, 0.0, lanczos3};

// The weights' window of output index i: source pixels [lo, hi), centres aligned (output pixel
// i covers source [i * scale, (i + 1) * scale)). The window is cut at the image's edges and the
// weights renormalised over what is left, as ImageMagick's -resize does.
void window(int i, double scale, double support, int source, int &lo, int &hi)
{
    const double centre = (i + 0.5) * scale;
    lo = std::max(0, int(std::floor(centre - support + 0.5)));
    hi = std::min(source, int(std::floor(centre + support + 0.5)));
    if (hi <= lo) { // a support under half a pixel: take the nearest pixel
        lo = std::clamp(int(centre), 0, source - 1);
        hi = lo + 1;
    }
}

void quantise(const float *weights, int count, int16_t *fixed)
{
    int sum = 0, largest = 0;
    for (int k = 0; k < count; ++k) {
        fixed[k] = int16_t(std::lround(weights[k] * WeightOne));
        sum += fixed[k];
        if (fixed[k] > fixed[largest])
            largest = k;
    }
    fixed[largest] = int16_t(fixed[largest] + WeightOne - sum);
}

// `extent`: how many source pixels the picture spans (0: all `source` of them). A JPEG decoded
// at 1/d holds ceil(side / d) pixels, the last one partly padding: mapped over side / d pixels,
// the output stays aligned with the picture instead of being stretched by up to a source pixel.
Taps makeTaps(int source, int target, const Kernel &kernel, int multiple, double extent = 0.0)
{
    const double scale = (extent > 0.0 ? extent : double(source)) / target;
    const double filterScale = std::max(scale, 1.0); // reducing widens the kernel
    const double support = kernel.support * filterScale;
    Taps taps;
    for (int i = 0; i < target; ++i) {
        int lo, hi;
        window(i, scale, support, source, lo, hi);
        taps.count = std::max(taps.count, hi - lo);
    }
    // A count that is a multiple of `multiple` lets the SIMD loops take taps in pairs or fours
    // without a remainder.
    while (taps.count % multiple && taps.count < source)
        ++taps.count;
    taps.first.resize(target);
    taps.weights.assign(size_t(target) * taps.count, 0.0f);
    taps.fixed.assign(size_t(target) * taps.count, 0);
    std::vector<double> w(taps.count);
    for (int i = 0; i < target; ++i) {
        int lo, hi;
        window(i, scale, support, source, lo, hi);
        const double centre = (i + 0.5) * scale;
        double sum = 0.0;
        for (int j = lo; j < hi; ++j) {
            w[j - lo] = kernel.eval((j + 0.5 - centre) / filterScale, kernel.sigma);
            sum += w[j - lo];
        }
        const int first = std::min(lo, source - taps.count);
        taps.first[i] = first;
        float *out = taps.weights.data() + size_t(i) * taps.count;
        for (int j = lo; j < hi; ++j)
            out[j - first] = float(sum != 0.0 ? w[j - lo] / sum : (j == lo ? 1.0 : 0.0));
        quantise(out, taps.count, taps.fixed.data() + size_t(i) * taps.count);
    }
    return taps;
}

// --- 8 bits per channel ----------------------------------------------------------------------

inline int16_t toMid(int acc)
{
    return int16_t(
        std::clamp((acc + (1 << (HorizontalShift - 1))) >> HorizontalShift, -32768, 32767));
}

template<int C>
void horizontal8Scalar(const uchar *src, int16_t *dst, int from, int to, const Taps &taps)
{
    for (int i = from; i < to; ++i) {
        const uchar *p = src + size_t(taps.first[i]) * C;
        const int16_t *w = taps.fixed.data() + size_t(i) * taps.count;
        int acc[C] = {};
        for (int k = 0; k < taps.count; ++k)
            for (int c = 0; c < C; ++c)
                acc[c] += w[k] * p[k * C + c];
        for (int c = 0; c < C; ++c)
            dst[size_t(i) * C + c] = toMid(acc[c]);
    }
}

template<int C>
void horizontal8(const uchar *src, int16_t *dst, int width, const Taps &taps)
{
    horizontal8Scalar<C>(src, dst, 0, width, taps);
}

#ifdef SLUICE_RESAMPLE_SSE2
// Four channels: pairs of source pixels with their bytes interleaved (c0 of pixel k, c0 of
// pixel k + 1, c1 ...) so that one _mm_madd_epi16 with the weight pair gives the four channel
// sums of both taps. Loads stay inside the row: taps lie inside the source. Adds taps k ..
// count - 1 of one output pixel to `acc`, four at a time, then two, then one.
inline __m128i horizontalTaps(const uchar *p, const int16_t *w, int k, int count, __m128i acc)
{
    const __m128i zero = _mm_setzero_si128();
    for (; k + 3 < count; k += 4) {
        // pixels k .. k + 3; bytes of pixels (k, k + 1) and (k + 2, k + 3) interleaved
        const __m128i four = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + k * 4));
        const __m128i next = _mm_srli_si128(four, 4);
        const __m128i first = _mm_unpacklo_epi8(_mm_unpacklo_epi8(four, next), zero);
        const __m128i second = _mm_unpacklo_epi8(_mm_unpackhi_epi8(four, next), zero);
        const __m128i weights = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(w + k));
        acc = _mm_add_epi32(acc, _mm_madd_epi16(first, _mm_shuffle_epi32(weights, 0x00)));
        acc = _mm_add_epi32(acc, _mm_madd_epi16(second, _mm_shuffle_epi32(weights, 0x55)));
    }
    for (; k + 1 < count; k += 2) {
        const __m128i two = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(p + k * 4));
        const __m128i paired =
            _mm_unpacklo_epi8(_mm_unpacklo_epi8(two, _mm_srli_si128(two, 4)), zero);
        int pair;
        std::memcpy(&pair, w + k, 4); // w[k] in the low half, w[k + 1] in the high half
        acc = _mm_add_epi32(acc, _mm_madd_epi16(paired, _mm_set1_epi32(pair)));
    }
    if (k < count) {
        int pixel;
        std::memcpy(&pixel, p + k * 4, 4);
        const __m128i one =
            _mm_unpacklo_epi16(_mm_unpacklo_epi8(_mm_cvtsi32_si128(pixel), zero), zero);
        acc = _mm_add_epi32(acc, _mm_madd_epi16(one, _mm_set1_epi32(uint16_t(w[k]))));
    }
    return acc;
}

inline void storeMid(int16_t *dst, __m128i acc)
{
    acc = _mm_srai_epi32(acc, HorizontalShift);
    _mm_storel_epi64(reinterpret_cast<__m128i *>(dst), _mm_packs_epi32(acc, acc));
}

#ifdef SLUICE_RESAMPLE_AVX2
bool hasAvx2()
{
    // SLUICE_RESAMPLE_NO_AVX2 keeps the SSE2 loops testable on a machine with AVX2.
    static const bool avx2 =
        __builtin_cpu_supports("avx2") && !qEnvironmentVariableIsSet("SLUICE_RESAMPLE_NO_AVX2");
    return avx2;
}

// As horizontalTaps(), eight taps at a time: the low lane takes pixels k .. k + 3, the high
// lane k + 4 .. k + 7, each lane with its own weight pairs; the lanes are added at the end.
__attribute__((target("avx2"))) void horizontal8x4Avx2(const uchar *src, int16_t *dst, int width,
                                                       const Taps &taps)
{
    const __m256i zero = _mm256_setzero_si256();
    const __m256i pairs01 = _mm256_setr_epi32(0, 0, 0, 0, 2, 2, 2, 2);
    const __m256i pairs23 = _mm256_setr_epi32(1, 1, 1, 1, 3, 3, 3, 3);
    const __m128i round = _mm_set1_epi32(1 << (HorizontalShift - 1));
    for (int i = 0; i < width; ++i) {
        const uchar *p = src + size_t(taps.first[i]) * 4;
        const int16_t *w = taps.fixed.data() + size_t(i) * taps.count;
        __m256i acc8 = zero;
        int k = 0;
        for (; k + 7 < taps.count; k += 8) {
            const __m256i eight = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p + k * 4));
            const __m256i next = _mm256_srli_si256(eight, 4);
            const __m256i first = _mm256_unpacklo_epi8(_mm256_unpacklo_epi8(eight, next), zero);
            const __m256i second = _mm256_unpacklo_epi8(_mm256_unpackhi_epi8(eight, next), zero);
            const __m256i weights =
                _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i *>(w + k)));
            acc8 = _mm256_add_epi32(
                acc8, _mm256_madd_epi16(first, _mm256_permutevar8x32_epi32(weights, pairs01)));
            acc8 = _mm256_add_epi32(
                acc8, _mm256_madd_epi16(second, _mm256_permutevar8x32_epi32(weights, pairs23)));
        }
        const __m128i acc = _mm_add_epi32(
            round, _mm_add_epi32(_mm256_castsi256_si128(acc8), _mm256_extracti128_si256(acc8, 1)));
        storeMid(dst + size_t(i) * 4, horizontalTaps(p, w, k, taps.count, acc));
    }
}

// As the SSE2 loop of vertical8(), sixteen values at a time; returns how many it did.
__attribute__((target("avx2"))) int vertical8Avx2(const int16_t *const *rows, const int16_t *w,
                                                  int count, uchar *dst, int n)
{
    const __m256i round = _mm256_set1_epi32(1 << (VerticalShift - 1));
    int x = 0;
    for (; x + 16 <= n; x += 16) {
        __m256i lo = round, hi = round;
        int k = 0;
        for (; k + 1 < count; k += 2) {
            const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(rows[k] + x));
            const __m256i b =
                _mm256_loadu_si256(reinterpret_cast<const __m256i *>(rows[k + 1] + x));
            int pair;
            std::memcpy(&pair, w + k, 4);
            const __m256i weights = _mm256_set1_epi32(pair);
            lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(a, b), weights));
            hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(a, b), weights));
        }
        if (k < count) {
            const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(rows[k] + x));
            const __m256i single = _mm256_set1_epi32(uint16_t(w[k]));
            const __m256i zero = _mm256_setzero_si256();
            lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(a, zero), single));
            hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(a, zero), single));
        }
        // Per lane: values 0-3 and 8-11 in lo, 4-7 and 12-15 in hi; packing keeps them in order
        // within each lane, and the two lanes' low 8 bytes are brought together.
        const __m256i words = _mm256_packs_epi32(_mm256_srai_epi32(lo, VerticalShift),
                                                 _mm256_srai_epi32(hi, VerticalShift));
        const __m256i bytes = _mm256_permute4x64_epi64(_mm256_packus_epi16(words, words), 0x08);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + x), _mm256_castsi256_si128(bytes));
    }
    return x;
}
#endif

template<>
void horizontal8<4>(const uchar *src, int16_t *dst, int width, const Taps &taps)
{
#ifdef SLUICE_RESAMPLE_AVX2
    if (taps.count >= 8 && hasAvx2())
        return horizontal8x4Avx2(src, dst, width, taps);
#endif
    const __m128i round = _mm_set1_epi32(1 << (HorizontalShift - 1));
    for (int i = 0; i < width; ++i) {
        const uchar *p = src + size_t(taps.first[i]) * 4;
        const int16_t *w = taps.fixed.data() + size_t(i) * taps.count;
        storeMid(dst + size_t(i) * 4, horizontalTaps(p, w, 0, taps.count, round));
    }
}
#endif

// One output row from `count` filtered rows of `n` values each (any number of channels).
void vertical8(const int16_t *const *rows, const int16_t *w, int count, uchar *dst, int n)
{
    int x = 0;
#ifdef SLUICE_RESAMPLE_AVX2
    if (hasAvx2())
        x = vertical8Avx2(rows, w, count, dst, n);
#endif
#ifdef SLUICE_RESAMPLE_SSE2
    const __m128i round = _mm_set1_epi32(1 << (VerticalShift - 1));
    for (; x + 8 <= n; x += 8) {
        __m128i lo = round, hi = round;
        int k = 0;
        for (; k + 1 < count; k += 2) {
            const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(rows[k] + x));
            const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(rows[k + 1] + x));
            const __m128i pair =
                _mm_set1_epi32(int(uint16_t(w[k])) | int(uint32_t(uint16_t(w[k + 1])) << 16));
            lo = _mm_add_epi32(lo, _mm_madd_epi16(_mm_unpacklo_epi16(a, b), pair));
            hi = _mm_add_epi32(hi, _mm_madd_epi16(_mm_unpackhi_epi16(a, b), pair));
        }
        if (k < count) {
            const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(rows[k] + x));
            const __m128i single = _mm_set1_epi32(uint16_t(w[k]));
            lo = _mm_add_epi32(lo,
                               _mm_madd_epi16(_mm_unpacklo_epi16(a, _mm_setzero_si128()), single));
            hi = _mm_add_epi32(hi,
                               _mm_madd_epi16(_mm_unpackhi_epi16(a, _mm_setzero_si128()), single));
        }
        lo = _mm_srai_epi32(lo, VerticalShift);
        hi = _mm_srai_epi32(hi, VerticalShift);
        const __m128i words = _mm_packs_epi32(lo, hi);
        _mm_storel_epi64(reinterpret_cast<__m128i *>(dst + x), _mm_packus_epi16(words, words));
    }
#endif
    for (; x < n; ++x) {
        int acc = 1 << (VerticalShift - 1);
        for (int k = 0; k < count; ++k)
            acc += w[k] * rows[k][x];
        dst[x] = uchar(std::clamp(acc >> VerticalShift, 0, 255));
    }
}

// --- 16 bits per channel: float between the passes --------------------------------------------

template<int C>
void horizontal16(const quint16 *src, float *dst, int width, const Taps &taps)
{
    for (int i = 0; i < width; ++i) {
        const quint16 *p = src + size_t(taps.first[i]) * C;
        const float *w = taps.weights.data() + size_t(i) * taps.count;
        float acc[C] = {};
        for (int k = 0; k < taps.count; ++k)
            for (int c = 0; c < C; ++c)
                acc[c] += w[k] * float(p[k * C + c]);
        for (int c = 0; c < C; ++c)
            dst[size_t(i) * C + c] = acc[c];
    }
}

void vertical16(const float *const *rows, const float *w, int count, quint16 *dst, int n,
                std::vector<float> &acc)
{
    acc.assign(n, 0.0f);
    for (int k = 0; k < count; ++k) {
        const float *row = rows[k];
        const float weight = w[k];
        for (int x = 0; x < n; ++x)
            acc[x] += weight * row[x];
    }
    for (int x = 0; x < n; ++x)
        dst[x] = quint16(std::clamp(std::lround(acc[x]), 0L, 65535L));
}

// --- The two passes ---------------------------------------------------------------------------

// Filters the source into `out` (same format, any sizes): each source row is filtered
// horizontally once, into a ring of tapsY.count rows that the vertical pass reads, output row
// by output row. Source rows are asked for top to bottom, each once (`sourceRow(y)` with y
// increasing; rows no output needs are skipped), so a source read row by row fits.
template<typename Mid, typename SourceRow, typename Horizontal, typename Vertical>
void separable(SourceRow sourceRow, QImage &out, int channels, const Taps &ty,
               Horizontal horizontal, Vertical vertical)
{
    const size_t rowLength = size_t(out.width()) * channels;
    std::vector<Mid> ring(size_t(ty.count) * rowLength);
    std::vector<const Mid *> rows(ty.count);
    int filtered = 0; // source rows below this one have been filtered (or are never needed)
    for (int y = 0; y < out.height(); ++y) {
        const int first = ty.first[y];
        filtered = std::max(filtered, first);
        for (; filtered < first + ty.count; ++filtered)
            horizontal(sourceRow(filtered), ring.data() + (filtered % ty.count) * rowLength);
        for (int k = 0; k < ty.count; ++k)
            rows[k] = ring.data() + ((first + k) % ty.count) * rowLength;
        vertical(rows.data(), y, out.scanLine(y), int(rowLength));
    }
}

enum class Layout
{
    Bytes4, // four 8-bit channels
    Bytes1, // one 8-bit channel
    Words4, // four 16-bit channels
    Words1, // one 16-bit channel
};

struct WorkFormat
{
    QImage::Format work;   // what is filtered
    QImage::Format result; // what is returned
};

WorkFormat workFormatFor(const QImage &image)
{
    const QImage::Format f = image.format();
    switch (f) {
    case QImage::Format_ARGB32:
        return {QImage::Format_ARGB32_Premultiplied, f};
    case QImage::Format_RGBA8888:
        return {QImage::Format_RGBA8888_Premultiplied, f};
    case QImage::Format_RGBA64:
        return {QImage::Format_RGBA64_Premultiplied, f};
    case QImage::Format_RGB32:
    case QImage::Format_ARGB32_Premultiplied:
    case QImage::Format_RGBX8888:
    case QImage::Format_RGBA8888_Premultiplied:
    case QImage::Format_Grayscale8:
    case QImage::Format_Alpha8:
    case QImage::Format_RGBX64:
    case QImage::Format_RGBA64_Premultiplied:
    case QImage::Format_Grayscale16:
        return {f, f};
    case QImage::Format_Mono:
    case QImage::Format_MonoLSB:
    case QImage::Format_Indexed8: {
        const QImage::Format rgb =
            image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32;
        return {rgb, rgb};
    }
    case QImage::Format_BGR30:
    case QImage::Format_RGB30:
    case QImage::Format_A2BGR30_Premultiplied:
    case QImage::Format_A2RGB30_Premultiplied:
    case QImage::Format_RGBX16FPx4:
    case QImage::Format_RGBA16FPx4:
    case QImage::Format_RGBA16FPx4_Premultiplied:
    case QImage::Format_RGBX32FPx4:
    case QImage::Format_RGBA32FPx4:
    case QImage::Format_RGBA32FPx4_Premultiplied:
        return {image.hasAlphaChannel() ? QImage::Format_RGBA64_Premultiplied
                                        : QImage::Format_RGBX64,
                f};
    default:
        return {image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied
                                        : QImage::Format_RGB32,
                f};
    }
}

Layout layoutOf(QImage::Format work)
{
    switch (work) {
    case QImage::Format_Grayscale8:
    case QImage::Format_Alpha8:
        return Layout::Bytes1;
    case QImage::Format_RGBX64:
    case QImage::Format_RGBA64_Premultiplied:
        return Layout::Words4;
    case QImage::Format_Grayscale16:
        return Layout::Words1;
    default:
        return Layout::Bytes4;
    }
}

// The index, among a pixel's four channels in memory, of alpha (or of the padding that stands
// for it in RGB32, RGBX8888 and RGBX64).
int alphaIndexOf(QImage::Format work)
{
    if (work == QImage::Format_ARGB32_Premultiplied || work == QImage::Format_RGB32)
        return Q_BYTE_ORDER == Q_LITTLE_ENDIAN ? 3 : 0; // 0xAARRGGBB in a native uint32
    return 3;
}

// The alpha index when colour must be clamped to alpha (premultiplied formats), else -1.
int premultipliedAlphaIndex(QImage::Format work)
{
    switch (work) {
    case QImage::Format_ARGB32_Premultiplied:
    case QImage::Format_RGBA8888_Premultiplied:
    case QImage::Format_RGBA64_Premultiplied:
        return alphaIndexOf(work);
    default:
        return -1;
    }
}

// Lanczos rings: a premultiplied colour can come out above its alpha. Clamp it back so that the
// pixel is valid (and an edge against transparency shows no bright halo when composited).
template<typename T>
void clampToAlpha(T *row, int width, int alphaIndex)
{
    if (alphaIndex < 0)
        return;
    for (int x = 0; x < width; ++x) {
        T *pixel = row + size_t(x) * 4;
        const T alpha = pixel[alphaIndex];
        for (int c = 0; c < 4; ++c)
            pixel[c] = std::min(pixel[c], alpha);
    }
}

void copyMetadata(const QImage &from, QImage &to)
{
    to.setDotsPerMeterX(from.dotsPerMeterX());
    to.setDotsPerMeterY(from.dotsPerMeterY());
    to.setOffset(from.offset());
    to.setDevicePixelRatio(from.devicePixelRatio());
    to.setColorSpace(from.colorSpace());
    const QStringList keys = from.textKeys();
    for (const QString &key : keys)
        to.setText(key, from.text(key));
}

// Filters the rows of a source in `format` (a work format) into a new image of `size` with the
// given taps; `sourceRow` as separable() calls it.
template<typename SourceRow>
QImage filteredRows(SourceRow sourceRow, QImage::Format format, QSize size, const Taps &tx,
                    const Taps &ty)
{
    QImage out(size, format);
    if (out.isNull())
        return {};
    const int alphaIndex = premultipliedAlphaIndex(format);
    const int width = size.width();
    switch (layoutOf(format)) {
    case Layout::Bytes4:
        separable<int16_t>(
            sourceRow, out, 4, ty,
            [&](const uchar *src, int16_t *dst) { horizontal8<4>(src, dst, width, tx); },
            [&](const int16_t *const *rows, int y, uchar *dst, int n) {
                vertical8(rows, ty.fixed.data() + size_t(y) * ty.count, ty.count, dst, n);
                clampToAlpha(dst, width, alphaIndex);
            });
        break;
    case Layout::Bytes1:
        separable<int16_t>(
            sourceRow, out, 1, ty,
            [&](const uchar *src, int16_t *dst) { horizontal8<1>(src, dst, width, tx); },
            [&](const int16_t *const *rows, int y, uchar *dst, int n) {
                vertical8(rows, ty.fixed.data() + size_t(y) * ty.count, ty.count, dst, n);
            });
        break;
    case Layout::Words4:
    case Layout::Words1: {
        const int channels = layoutOf(format) == Layout::Words4 ? 4 : 1;
        std::vector<float> acc;
        separable<float>(
            sourceRow, out, channels, ty,
            [&](const uchar *src, float *dst) {
                const auto *words = reinterpret_cast<const quint16 *>(src);
                if (channels == 4)
                    horizontal16<4>(words, dst, width, tx);
                else
                    horizontal16<1>(words, dst, width, tx);
            },
            [&](const float *const *rows, int y, uchar *dst, int n) {
                auto *words = reinterpret_cast<quint16 *>(dst);
                vertical16(rows, ty.weights.data() + size_t(y) * ty.count, ty.count, words, n, acc);
                if (channels == 4)
                    clampToAlpha(words, width, alphaIndex);
            });
        break;
    }
    }
    return out;
}

// Filters `in` (a work format) into a new image of `size` with the given taps.
QImage filtered(const QImage &in, QSize size, const Taps &tx, const Taps &ty)
{
    return filteredRows([&in](int y) { return in.constScanLine(y); }, in.format(), size, tx, ty);
}

// Qt 6.4 converts RGBA64 to RGBA64_Premultiplied wrongly (alpha is multiplied by itself too),
// so 16-bit alpha is premultiplied and unpremultiplied here, through QRgba64.
QImage premultiplied64(const QImage &image)
{
    QImage out = image.convertToFormat(QImage::Format_RGBA64);
    if (out.isNull())
        return {};
    out.reinterpretAsFormat(QImage::Format_RGBA64_Premultiplied); // detaches: `image` is untouched
    for (int y = 0; y < out.height(); ++y) {
        auto *line = reinterpret_cast<QRgba64 *>(out.scanLine(y));
        for (int x = 0; x < out.width(); ++x)
            line[x] = line[x].premultiplied();
    }
    return out;
}

QImage unpremultiplied64(QImage image)
{
    if (!image.reinterpretAsFormat(QImage::Format_RGBA64))
        return {};
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgba64 *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x)
            line[x] = line[x].unpremultiplied();
    }
    return image;
}

QImage toWorkFormat(const QImage &image, const WorkFormat &formats)
{
    if (image.format() == formats.work)
        return image;
    if (formats.work == QImage::Format_RGBA64_Premultiplied)
        return premultiplied64(image);
    return image.convertToFormat(formats.work);
}

QImage toResultFormat(QImage image, const WorkFormat &formats)
{
    if (image.isNull() || image.format() == formats.result)
        return image;
    if (image.format() == QImage::Format_RGBA64_Premultiplied) {
        image = unpremultiplied64(std::move(image));
        if (image.isNull() || formats.result == QImage::Format_RGBA64)
            return image;
    }
    return image.convertToFormat(formats.result);
}

template<typename T>
void sharpenValues(T *row, const T *blurred, int n, int channels, int skipChannel, int amount256,
                   int threshold, int maxValue)
{
    for (int x = 0; x < n; ++x) {
        if (x % channels == skipChannel)
            continue;
        const int difference = int(row[x]) - int(blurred[x]);
        if (std::abs(difference) <= threshold)
            continue;
        const int boost = (difference * amount256 + (difference < 0 ? -128 : 128)) / 256;
        row[x] = T(std::clamp(int(row[x]) + boost, 0, maxValue));
    }
}

} // namespace

QImage resample(const QImage &image, QSize size)
{
    if (image.isNull() || size.isEmpty())
        return {};
    if (image.size() == size)
        return image;
    const WorkFormat formats = workFormatFor(image);
    const QImage in = toWorkFormat(image, formats);
    if (in.isNull())
        return {};
    const Taps tx = makeTaps(in.width(), size.width(), Lanczos3, 4);
    const Taps ty = makeTaps(in.height(), size.height(), Lanczos3, 2);
    QImage out = filtered(in, size, tx, ty);
    if (out.isNull())
        return {};
    copyMetadata(image, out);
    return toResultFormat(std::move(out), formats);
}

QImage resampleRows(QSize sourceSize, QImage::Format format, const RowSource &sourceRow, QSize size,
                    QSizeF extent)
{
    if (sourceSize.isEmpty() || size.isEmpty() || !sourceRow)
        return {};
    // Only formats that are filtered as they are: a source read row by row is never converted.
    const WorkFormat formats = workFormatFor(QImage(1, 1, format));
    if (formats.work != format || formats.result != format)
        return {};
    if (extent.isEmpty() || extent.width() > sourceSize.width() ||
        extent.height() > sourceSize.height())
        extent = QSizeF(sourceSize);
    const Taps tx = makeTaps(sourceSize.width(), size.width(), Lanczos3, 4, extent.width());
    const Taps ty = makeTaps(sourceSize.height(), size.height(), Lanczos3, 2, extent.height());
    return filteredRows([&sourceRow](int y) { return sourceRow(y); }, format, size, tx, ty);
}

QImage unsharpMask(const QImage &image, const UnsharpMask &mask)
{
    if (image.isNull())
        return {};
    if (mask.amount <= 0.0 || mask.sigma <= 0.0)
        return image;
    const WorkFormat formats = workFormatFor(image);
    QImage out = toWorkFormat(image, formats).copy();
    if (out.isNull())
        return {};
    const Kernel blur{std::max(3.0 * mask.sigma, 0.5), mask.sigma, gaussian};
    const Taps tx = makeTaps(out.width(), out.width(), blur, 4);
    const Taps ty = makeTaps(out.height(), out.height(), blur, 2);
    const QImage blurred = filtered(out, out.size(), tx, ty);
    if (blurred.isNull())
        return {};
    const Layout layout = layoutOf(out.format());
    const int channels = layout == Layout::Bytes4 || layout == Layout::Words4 ? 4 : 1;
    const int alphaIndex = premultipliedAlphaIndex(out.format());
    // Alpha (and the padding of RGB32 and RGBX) is not sharpened; colour is clamped to it.
    const int skip = channels == 4 ? alphaIndexOf(out.format()) : -1;
    const int amount256 = int(std::lround(mask.amount * 256.0));
    const int n = out.width() * channels;
    for (int y = 0; y < out.height(); ++y) {
        if (layout == Layout::Bytes4 || layout == Layout::Bytes1) {
            uchar *row = out.scanLine(y);
            sharpenValues(row, blurred.constScanLine(y), n, channels, skip, amount256,
                          mask.threshold, 255);
            if (channels == 4)
                clampToAlpha(row, out.width(), alphaIndex);
        } else {
            auto *row = reinterpret_cast<quint16 *>(out.scanLine(y));
            sharpenValues(row, reinterpret_cast<const quint16 *>(blurred.constScanLine(y)), n,
                          channels, skip, amount256, mask.threshold * 257, 65535);
            if (channels == 4)
                clampToAlpha(row, out.width(), alphaIndex);
        }
    }
    copyMetadata(image, out);
    return toResultFormat(std::move(out), formats);
}

} // namespace sluice
