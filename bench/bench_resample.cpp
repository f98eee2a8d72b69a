// sluice-bench-resample: resampling kernels side by side (issue 11, point 1). One JSON object
// per line on stdout; progress on stderr.
//
//   sluice-bench-resample [--rounds N] PHOTO...
//       For each photo and case, every candidate resamples the same decoded pixels (RGB32) to
//       the same size; its best and median time over N rounds (default 5, interleaved) and its
//       PSNR against ImageMagick's `convert IN.png -resize WxH! REF.png` of those pixels.
//       Cases: full-1600 (the whole image to fit 1600x1600), half-1600 (decoded at 1/2 by
//       libjpeg, as the job does for 1600 px), eighth-256 (decoded at 1/8, to fit 256x256).
//   sluice-bench-resample --photos OUTDIR --size N PHOTO...
//       The job's decode and resample as PNG files for an outside comparison
//       (bench/resample-photos.sh): OUTDIR/<impl>/<name>.png for qt-smooth (decode at the
//       reduced scale that keeps the target, then Qt's smooth scaling: the job until now) and
//       for sluice-1x / sluice-2x (decode keeping at least 1x / 2x the target, then Lanczos3);
//       one JSON line per photo and impl with the decode and resample times.
//
// Candidates (each only when built with its library): qt-smooth, sluice-lanczos3,
// swscale-lanczos (packed BGRA) and swscale-gbrp (planar RGB, split and merge timed),
// pixman-lanczos3 (separable convolution, 4 subsample bits), vips-reduce (vips_reduce, Lanczos3)
// and vips-resize (vips_resize: box shrink, then Lanczos3 reduce, as vipsthumbnail does after
// its shrink-on-load). libvips runs with one thread, like every other candidate.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <resampler.h>
#include <vector>

#ifdef SLUICE_HAVE_SWSCALE
extern "C" {
#include <libswscale/swscale.h>
}
#endif
#ifdef SLUICE_HAVE_PIXMAN
#include <pixman.h>
#endif
#ifdef SLUICE_HAVE_VIPS
#include <vips/vips.h>
#endif

namespace {

using Resampler = std::function<QImage(const QImage &, QSize)>;

struct Candidate
{
    const char *name;
    Resampler run;
};

void printJson(const QJsonObject &object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

QImage qtSmooth(const QImage &in, QSize size)
{
    return in.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

#ifdef SLUICE_HAVE_SWSCALE
QImage swscalePacked(const QImage &in, QSize size)
{
    const AVPixelFormat format =
        Q_BYTE_ORDER == Q_LITTLE_ENDIAN ? AV_PIX_FMT_BGR0 : AV_PIX_FMT_0RGB;
    SwsContext *context =
        sws_getContext(in.width(), in.height(), format, size.width(), size.height(), format,
                       SWS_LANCZOS | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP,
                       nullptr, nullptr, nullptr);
    QImage out(size, QImage::Format_RGB32);
    const uint8_t *src[] = {in.constBits()};
    const int srcStride[] = {int(in.bytesPerLine())};
    uint8_t *dst[] = {out.bits()};
    const int dstStride[] = {int(out.bytesPerLine())};
    sws_scale(context, src, srcStride, 0, in.height(), dst, dstStride);
    sws_freeContext(context);
    return out;
}

QImage swscalePlanar(const QImage &in, QSize size)
{
    SwsContext *context =
        sws_getContext(in.width(), in.height(), AV_PIX_FMT_GBRP, size.width(), size.height(),
                       AV_PIX_FMT_GBRP, SWS_LANCZOS | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
    std::vector<uint8_t> planesIn(size_t(in.width()) * in.height() * 3);
    std::vector<uint8_t> planesOut(size_t(size.width()) * size.height() * 3);
    const size_t inPlane = size_t(in.width()) * in.height();
    const size_t outPlane = size_t(size.width()) * size.height();
    for (int y = 0; y < in.height(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(in.constScanLine(y));
        for (int x = 0; x < in.width(); ++x) {
            const size_t i = size_t(y) * in.width() + x;
            planesIn[i] = uint8_t(qGreen(line[x]));
            planesIn[inPlane + i] = uint8_t(qBlue(line[x]));
            planesIn[2 * inPlane + i] = uint8_t(qRed(line[x]));
        }
    }
    const uint8_t *src[] = {planesIn.data(), planesIn.data() + inPlane,
                            planesIn.data() + 2 * inPlane};
    const int srcStride[] = {in.width(), in.width(), in.width()};
    uint8_t *dst[] = {planesOut.data(), planesOut.data() + outPlane,
                      planesOut.data() + 2 * outPlane};
    const int dstStride[] = {size.width(), size.width(), size.width()};
    sws_scale(context, src, srcStride, 0, in.height(), dst, dstStride);
    sws_freeContext(context);
    QImage out(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        QRgb *line = reinterpret_cast<QRgb *>(out.scanLine(y));
        for (int x = 0; x < size.width(); ++x) {
            const size_t i = size_t(y) * size.width() + x;
            line[x] = qRgb(dst[2][i], dst[0][i], dst[1][i]);
        }
    }
    return out;
}
#endif

#ifdef SLUICE_HAVE_PIXMAN
QImage pixmanLanczos(const QImage &in, QSize size)
{
    QImage out(size, QImage::Format_RGB32);
    pixman_image_t *src = pixman_image_create_bits(
        PIXMAN_x8r8g8b8, in.width(), in.height(),
        reinterpret_cast<uint32_t *>(const_cast<uchar *>(in.constBits())), int(in.bytesPerLine()));
    pixman_image_t *dst =
        pixman_image_create_bits(PIXMAN_x8r8g8b8, size.width(), size.height(),
                                 reinterpret_cast<uint32_t *>(out.bits()), int(out.bytesPerLine()));
    const double sx = double(in.width()) / size.width(), sy = double(in.height()) / size.height();
    pixman_transform_t transform;
    pixman_transform_init_scale(&transform, pixman_double_to_fixed(sx), pixman_double_to_fixed(sy));
    pixman_image_set_transform(src, &transform);
    pixman_image_set_repeat(src, PIXMAN_REPEAT_PAD);
    // The sample kernel (Lanczos3, stretched by the scale) does the reduction; the
    // reconstruction kernel is an impulse. Enlarging would swap their roles.
    const bool reducing = sx >= 1.0 && sy >= 1.0;
    int count = 0;
    pixman_fixed_t *params = pixman_filter_create_separable_convolution(
        &count, pixman_double_to_fixed(std::max(sx, 1.0)),
        pixman_double_to_fixed(std::max(sy, 1.0)),
        reducing ? PIXMAN_KERNEL_IMPULSE : PIXMAN_KERNEL_LANCZOS3,
        reducing ? PIXMAN_KERNEL_IMPULSE : PIXMAN_KERNEL_LANCZOS3, PIXMAN_KERNEL_LANCZOS3,
        PIXMAN_KERNEL_LANCZOS3, 4, 4);
    pixman_image_set_filter(src, PIXMAN_FILTER_SEPARABLE_CONVOLUTION, params, count);
    free(params);
    pixman_image_composite32(PIXMAN_OP_SRC, src, nullptr, dst, 0, 0, 0, 0, 0, 0, size.width(),
                             size.height());
    pixman_image_unref(src);
    pixman_image_unref(dst);
    return out;
}
#endif

#ifdef SLUICE_HAVE_VIPS
QImage fromVips(VipsImage *image, QSize size)
{
    QImage out(size, QImage::Format_RGB32);
    out.fill(Qt::black);
    size_t bytes = 0;
    void *memory = vips_image_write_to_memory(image, &bytes);
    const int w = std::min(size.width(), vips_image_get_width(image));
    const int h = std::min(size.height(), vips_image_get_height(image));
    for (int y = 0; y < h; ++y)
        std::memcpy(out.scanLine(y),
                    static_cast<const uchar *>(memory) +
                        size_t(y) * vips_image_get_width(image) * 4,
                    size_t(w) * 4);
    g_free(memory);
    return out;
}

QImage vipsRun(const QImage &in, QSize size, bool reduceOnly)
{
    VipsImage *src = vips_image_new_from_memory(in.constBits(), size_t(in.sizeInBytes()),
                                                in.width(), in.height(), 4, VIPS_FORMAT_UCHAR);
    VipsImage *out = nullptr;
    const double hshrink = double(in.width()) / size.width();
    const double vshrink = double(in.height()) / size.height();
    const int failed = reduceOnly ? vips_reduce(src, &out, hshrink, vshrink, "kernel",
                                                VIPS_KERNEL_LANCZOS3, nullptr)
                                  : vips_resize(src, &out, 1.0 / hshrink, "vscale", 1.0 / vshrink,
                                                "kernel", VIPS_KERNEL_LANCZOS3, nullptr);
    QImage result;
    if (!failed) {
        if (vips_image_get_width(out) != size.width() ||
            vips_image_get_height(out) != size.height())
            std::fprintf(stderr, "vips gave %dx%d for %dx%d\n", vips_image_get_width(out),
                         vips_image_get_height(out), size.width(), size.height());
        result = fromVips(out, size);
        g_object_unref(out);
    }
    g_object_unref(src);
    return result;
}
#endif

std::vector<Candidate> candidates()
{
    std::vector<Candidate> all{{"qt-smooth", qtSmooth},
                               {"sluice-lanczos3", [](const QImage &in, QSize size) {
                                    return sluice::resample(in, size);
                                }}};
#ifdef SLUICE_HAVE_SWSCALE
    all.push_back({"swscale-lanczos", swscalePacked});
    all.push_back({"swscale-gbrp", swscalePlanar});
#endif
#ifdef SLUICE_HAVE_PIXMAN
    all.push_back({"pixman-lanczos3", pixmanLanczos});
#endif
#ifdef SLUICE_HAVE_VIPS
    all.push_back({"vips-reduce", [](const QImage &in, QSize s) {
                       return vipsRun(in, s, true);
                   }});
    all.push_back({"vips-resize", [](const QImage &in, QSize s) {
                       return vipsRun(in, s, false);
                   }});
#endif
    return all;
}

// ImageMagick's geometry "NxN": the long side becomes N, the other is rounded.
QSize fitSize(QSize source, int box)
{
    if (source.width() >= source.height())
        return {box,
                std::max(1, int(std::floor(double(source.height()) * box / source.width() + 0.5)))};
    return {std::max(1, int(std::floor(double(source.width()) * box / source.height() + 0.5))),
            box};
}

// PSNR over R, G and B, as `compare -metric PSNR` gives it for opaque 8-bit images.
double psnr(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return -1.0;
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    double sum = 0.0;
    for (int row = 0; row < x.height(); ++row) {
        const QRgb *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const QRgb *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col) {
            const int dr = qRed(p[col]) - qRed(q[col]), dg = qGreen(p[col]) - qGreen(q[col]),
                      db = qBlue(p[col]) - qBlue(q[col]);
            sum += dr * dr + dg * dg + db * db;
        }
    }
    const double mse = sum / (3.0 * x.width() * x.height());
    return mse == 0.0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

// The photo decoded by Qt, at 1/denominator scale through libjpeg's DCT scaling.
QImage decode(const QString &path, int denominator)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    if (denominator > 1) {
        const QSize raw = reader.size();
        reader.setScaledSize(QSize((raw.width() + denominator - 1) / denominator,
                                   (raw.height() + denominator - 1) / denominator));
    }
    return reader.read().convertToFormat(QImage::Format_RGB32);
}

QImage reference(const QImage &in, QSize size, const QString &dir, const QString &name)
{
    const QString input = dir + QLatin1Char('/') + name + QStringLiteral("-in.png");
    const QString output = dir + QLatin1Char('/') + name + QStringLiteral("-ref.png");
    in.save(input);
    const int rc =
        QProcess::execute(QStringLiteral("convert"),
                          {input, QStringLiteral("-resize"),
                           QStringLiteral("%1x%2!").arg(size.width()).arg(size.height()), output});
    return rc == 0 ? QImage(output) : QImage();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n == 0 ? 0.0 : n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

struct Case
{
    const char *name;
    int denominator;
    int box;
};

int compareKernels(const QStringList &photos, int rounds)
{
    const Case cases[] = {{"full-1600", 1, 1600}, {"half-1600", 2, 1600}, {"eighth-256", 8, 256}};
    const std::vector<Candidate> all = candidates();
    QTemporaryDir dir;
    for (const Case &c : cases) {
        for (const QString &photo : photos) {
            const QImage in = decode(photo, c.denominator);
            if (in.isNull()) {
                std::fprintf(stderr, "cannot read %s\n", qPrintable(photo));
                return 1;
            }
            const QSize size = fitSize(in.size(), c.box);
            const QString name = QFileInfo(photo).completeBaseName();
            std::fprintf(stderr, "%s %s: %dx%d -> %dx%d\n", c.name, qPrintable(name), in.width(),
                         in.height(), size.width(), size.height());
            const QImage ref = reference(in, size, dir.path(), name);
            std::vector<std::vector<double>> ms(all.size());
            std::vector<QImage> results(all.size());
            for (size_t i = 0; i < all.size(); ++i)
                results[i] = all[i].run(in, size); // warm-up, and the image that is scored
            for (int round = 0; round < rounds; ++round)
                for (size_t k = 0; k < all.size(); ++k) {
                    const size_t i = round % 2 ? all.size() - 1 - k : k;
                    QElapsedTimer timer;
                    timer.start();
                    const QImage out = all[i].run(in, size);
                    ms[i].push_back(timer.nsecsElapsed() / 1e6);
                }
            for (size_t i = 0; i < all.size(); ++i) {
                QJsonObject line{
                    {"bench", "resample"},
                    {"case", c.name},
                    {"image", name},
                    {"source", QStringLiteral("%1x%2").arg(in.width()).arg(in.height())},
                    {"target", QStringLiteral("%1x%2").arg(size.width()).arg(size.height())},
                    {"impl", all[i].name},
                    {"ms", *std::min_element(ms[i].begin(), ms[i].end())},
                    {"ms_median", median(ms[i])},
                    {"psnr_db", ref.isNull() ? QJsonValue() : QJsonValue(psnr(results[i], ref))}};
                printJson(line);
            }
        }
    }
    return 0;
}

// The job's decode-and-resample as PNG files, for bench/resample-photos.sh.
int writePhotos(const QStringList &photos, const QString &outDir, int box)
{
    struct Impl
    {
        const char *name;
        int atLeast; // the reduced-scale decode keeps at least this many times the target
        bool lanczos;
    };
    const Impl impls[] = {{"qt-smooth", 1, false}, {"sluice-1x", 1, true}, {"sluice-2x", 2, true}};
    for (const Impl &impl : impls) {
        QDir().mkpath(outDir + QLatin1Char('/') + QLatin1String(impl.name));
        for (const QString &photo : photos) {
            QElapsedTimer timer;
            timer.start();
            QImageReader reader(photo);
            reader.setAutoTransform(true);
            const QSize raw = reader.size(); // these photos carry no EXIF rotation
            const QSize target = fitSize(raw, box);
            int denominator = 1;
            for (int d : {8, 4, 2})
                if ((raw.width() + d - 1) / d >= impl.atLeast * target.width() &&
                    (raw.height() + d - 1) / d >= impl.atLeast * target.height()) {
                    denominator = d;
                    break;
                }
            if (denominator > 1)
                reader.setScaledSize(QSize((raw.width() + denominator - 1) / denominator,
                                           (raw.height() + denominator - 1) / denominator));
            const QImage decoded = reader.read().convertToFormat(QImage::Format_RGB32);
            const double decodeMs = timer.nsecsElapsed() / 1e6;
            timer.restart();
            const QImage out =
                impl.lanczos ? sluice::resample(decoded, target) : qtSmooth(decoded, target);
            const double resampleMs = timer.nsecsElapsed() / 1e6;
            const QString name = QFileInfo(photo).completeBaseName();
            out.save(QStringLiteral("%1/%2/%3.png").arg(outDir, QLatin1String(impl.name), name));
            printJson(
                {{"bench", "resample-photo"},
                 {"impl", impl.name},
                 {"image", name},
                 {"size", box},
                 {"decoded", QStringLiteral("%1x%2").arg(decoded.width()).arg(decoded.height())},
                 {"denominator", denominator},
                 {"decode_ms", decodeMs},
                 {"resample_ms", resampleMs}});
        }
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Resampling kernels side by side"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("rounds"), QStringLiteral("Timed rounds."),
                      QStringLiteral("N"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("photos"), QStringLiteral("Write the job's PNGs here."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Box for --photos."),
                      QStringLiteral("N"), QStringLiteral("256")});
    parser.addPositionalArgument(QStringLiteral("PHOTO"), QStringLiteral("JPEG photographs."));
    parser.process(app);
    const QStringList photos = parser.positionalArguments();
    if (photos.isEmpty())
        parser.showHelp(2);
#ifdef SLUICE_HAVE_VIPS
    if (VIPS_INIT(argv[0]))
        return 1;
    vips_concurrency_set(1);
    vips_cache_set_max(0);
#endif
    if (parser.isSet(QStringLiteral("photos")))
        return writePhotos(photos, parser.value(QStringLiteral("photos")),
                           parser.value(QStringLiteral("size")).toInt());
    return compareKernels(photos, std::max(1, parser.value(QStringLiteral("rounds")).toInt()));
}
