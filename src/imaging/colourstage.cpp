#include "colourstage.h"

#include <QColorSpace>
#include <QtEndian>
#include <array>
#include <lcms2.h>
#include <memory>
#include <optional>

namespace sluice {

namespace {

struct ProfileCloser
{
    void operator()(void *profile) const { cmsCloseProfile(profile); }
};
using Profile = std::unique_ptr<void, ProfileCloser>;

struct TransformDeleter
{
    void operator()(void *transform) const { cmsDeleteTransform(transform); }
};
using Transform = std::unique_ptr<void, TransformDeleter>;

// QImage's 32-bit formats are one uint per pixel, 0xAARRGGBB: B, G, R, A in memory on a
// little-endian machine. The 64-bit ones are R, G, B, A in native 16-bit words.
#if Q_BYTE_ORDER == Q_LITTLE_ENDIAN
constexpr cmsUInt32Number Layout32 = TYPE_BGRA_8;
#else
constexpr cmsUInt32Number Layout32 = TYPE_ARGB_8;
#endif

struct Layout
{
    QImage::Format format; // the pixels are converted to this first
    cmsUInt32Number type;  // and Little CMS reads and writes them so
};

Layout rgbLayoutFor(const QImage &image)
{
    switch (image.format()) {
    case QImage::Format_RGBX64:
    case QImage::Format_Grayscale16:
        return {QImage::Format_RGBX64, TYPE_RGBA_16};
    case QImage::Format_RGBA64:
    case QImage::Format_RGBA64_Premultiplied:
        return {QImage::Format_RGBA64, TYPE_RGBA_16};
    default:
        return {image.hasAlphaChannel() ? QImage::Format_ARGB32 : QImage::Format_RGB32, Layout32};
    }
}

std::optional<Layout> grayLayoutFor(const QImage &image)
{
    if (image.format() == QImage::Format_Grayscale8)
        return Layout{QImage::Format_Grayscale8, TYPE_GRAY_8};
    if (image.format() == QImage::Format_Grayscale16)
        return Layout{QImage::Format_Grayscale16, TYPE_GRAY_16};
    return std::nullopt;
}

// What an untagged gray image is taken to be: sRGB's tone curve.
Profile srgbGrayProfile()
{
    const cmsFloat64Number srgb[] = {2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045};
    cmsToneCurve *curve = cmsBuildParametricToneCurve(nullptr, 4, srgb);
    Profile profile(cmsCreateGrayProfile(cmsD50_xyY(), curve));
    cmsFreeToneCurve(curve);
    return profile;
}

ColouredImage untagged(QImage pixels)
{
    pixels.setColorSpace(QColorSpace());
    return {std::move(pixels), {}};
}

ColouredImage dropped(QImage pixels, QString *note, const QString &why)
{
    if (note)
        *note = why;
    return untagged(std::move(pixels));
}

// Matrix profiles have one way to sRGB (relative colorimetric); LUT-based ones are built for
// perceptual rendering when they carry it.
cmsUInt32Number intentFor(void *profile)
{
    if (!cmsIsMatrixShaper(profile) &&
        cmsIsIntentSupported(profile, INTENT_PERCEPTUAL, LCMS_USED_AS_INPUT))
        return INTENT_PERCEPTUAL;
    return INTENT_RELATIVE_COLORIMETRIC;
}

// The pixels, converted in place (after a conversion to the layout's format), from `source`
// to `target`. False: Little CMS cannot make the transform.
bool transformed(QImage &pixels, void *source, void *target, const Layout &layout)
{
    // 16-bit transforms are otherwise optimised into a sampled table, which bends colours
    // outside sRGB's gamut by up to 7 levels; 8-bit ones keep the exact matrix.
    const cmsUInt32Number flags =
        cmsFLAGS_COPY_ALPHA | (T_BYTES(layout.type) == 2 ? cmsFLAGS_NOOPTIMIZE : 0);
    const Transform transform(
        cmsCreateTransform(source, layout.type, target, layout.type, intentFor(source), flags));
    if (!transform)
        return false;
    if (pixels.format() != layout.format)
        pixels.convertTo(layout.format);
    uchar *bits = pixels.bits(); // detaches: the decoder's image is never written
    cmsDoTransformLineStride(transform.get(), bits, bits, cmsUInt32Number(pixels.width()),
                             cmsUInt32Number(pixels.height()),
                             cmsUInt32Number(pixels.bytesPerLine()),
                             cmsUInt32Number(pixels.bytesPerLine()), 0, 0);
    return true;
}

ColouredImage toSrgb(ColouredImage image, QString *note)
{
    if (QColorSpace::fromIccProfile(image.iccProfile) == QColorSpace(QColorSpace::SRgb))
        return untagged(std::move(image.pixels)); // already sRGB: nothing to convert
    const Profile source(cmsOpenProfileFromMem(image.iccProfile.constData(),
                                               cmsUInt32Number(image.iccProfile.size())));
    if (!source)
        return dropped(std::move(image.pixels), note,
                       QStringLiteral("colour profile unreadable, not applied"));
    const cmsColorSpaceSignature space = cmsGetColorSpace(source.get());
    QImage pixels = std::move(image.pixels);
    bool ok = false;
    if (space == cmsSigRgbData) {
        // Gray pixels with an RGB profile (Qt makes one from a PNG's gAMA and cHRM): converted
        // as RGB, where gray stays gray, and kept gray.
        const QImage::Format grayFormat =
            grayLayoutFor(pixels) ? pixels.format() : QImage::Format_Invalid;
        const Profile srgb(cmsCreate_sRGBProfile());
        ok = transformed(pixels, source.get(), srgb.get(), rgbLayoutFor(pixels));
        if (ok && grayFormat != QImage::Format_Invalid)
            pixels.convertTo(grayFormat);
    } else if (space == cmsSigGrayData) {
        const std::optional<Layout> layout = grayLayoutFor(pixels);
        if (!layout)
            return dropped(std::move(pixels), note,
                           QStringLiteral("gray colour profile on colour pixels, not applied"));
        ok = transformed(pixels, source.get(), srgbGrayProfile().get(), *layout);
    } else {
        return dropped(std::move(pixels), note,
                       space == cmsSigCmykData
                           ? QStringLiteral("CMYK colour profile not applied (the CMYK pixels "
                                            "were converted to RGB without it)")
                           : QStringLiteral("colour profile of an unsupported colour space, not "
                                            "applied"));
    }
    if (!ok)
        return dropped(std::move(pixels), note,
                       QStringLiteral("colour profile cannot be applied, not applied"));
    return untagged(std::move(pixels));
}

// True when a profile of this colour space can describe these pixels.
bool describes(const QByteArray &iccProfile, const QImage &pixels)
{
    const Profile profile(
        cmsOpenProfileFromMem(iccProfile.constData(), cmsUInt32Number(iccProfile.size())));
    if (!profile)
        return false;
    const cmsColorSpaceSignature space = cmsGetColorSpace(profile.get());
    return space == cmsSigRgbData || (space == cmsSigGrayData && grayLayoutFor(pixels));
}

} // namespace

ColouredImage applyColour(QImage pixels, QByteArray embeddedProfile)
{
    return {std::move(pixels), std::move(embeddedProfile)};
}

ColouredImage toOutputColour(ColouredImage image, ColourPolicy policy, QString *note)
{
    if (image.iccProfile.isEmpty() || policy == ColourPolicy::Strip)
        return untagged(std::move(image.pixels));
    if (policy == ColourPolicy::Srgb)
        return toSrgb(std::move(image), note);
    if (!describes(image.iccProfile, image.pixels)) // Keep: only a profile true to the pixels
        return dropped(std::move(image.pixels), note,
                       QStringLiteral("colour profile does not describe the decoded pixels "
                                      "(CMYK or unreadable), not kept"));
    return image;
}

} // namespace sluice

namespace sluice {

QImage srgbFromCmyk(const QByteArray &cmyk, QSize size, bool inverted, const QByteArray &profile,
                    QString *note)
{
    QImage pixels(size, QImage::Format_RGB32);
    if (pixels.isNull() || cmyk.size() < qsizetype(size.width()) * size.height() * 4)
        return {};
    pixels.fill(Qt::white); // Little CMS leaves the padding byte (alpha) as it finds it
    const Profile source(
        profile.isEmpty()
            ? nullptr
            : cmsOpenProfileFromMem(profile.constData(), cmsUInt32Number(profile.size())));
    if (source && cmsGetColorSpace(source.get()) == cmsSigCmykData) {
        // Relative colorimetric, as libvips and ImageMagick convert CMYK: a press profile's
        // perceptual table also remaps the paper's range (11 levels apart on saturated reds).
        const Profile srgb(cmsCreate_sRGBProfile());
        const Transform transform(
            cmsCreateTransform(source.get(), inverted ? TYPE_CMYK_8_REV : TYPE_CMYK_8, srgb.get(),
                               Layout32, INTENT_RELATIVE_COLORIMETRIC, 0));
        if (transform) {
            cmsDoTransformLineStride(transform.get(), cmyk.constData(), pixels.bits(),
                                     cmsUInt32Number(size.width()), cmsUInt32Number(size.height()),
                                     cmsUInt32Number(size.width() * 4),
                                     cmsUInt32Number(pixels.bytesPerLine()), 0, 0);
            return pixels;
        }
    }
    if (note)
        *note = profile.isEmpty() ? QStringLiteral("CMYK without a colour profile, converted "
                                                   "to RGB without one")
                                  : QStringLiteral("CMYK colour profile unreadable, converted to "
                                                   "RGB without it");
    const auto *in = reinterpret_cast<const uchar *>(cmyk.constData());
    for (int y = 0; y < size.height(); ++y) {
        auto *out = reinterpret_cast<QRgb *>(pixels.scanLine(y));
        for (int x = 0; x < size.width(); ++x, in += 4) {
            // Remaining light per ink, 0..255: 255 - ink, or the value itself when inverted.
            const auto light = [inverted](uchar v) {
                return inverted ? v : uchar(255 - v);
            };
            const int k = light(in[3]);
            out[x] = qRgb((light(in[0]) * k + 127) / 255, (light(in[1]) * k + 127) / 255,
                          (light(in[2]) * k + 127) / 255);
        }
    }
    return pixels;
}

namespace {

struct Chromaticities
{
    cmsCIExyY white, red, green, blue;
};

// H.273 colour primaries (the codes HEIF's nclx box and AV1 use) that Sluice knows.
std::optional<Chromaticities> primariesFor(int code)
{
    const cmsCIExyY d65{0.3127, 0.3290, 1.0};
    switch (code) {
    case 1: // BT.709, sRGB
    case 2: // unspecified: taken as BT.709, as browsers do
        return Chromaticities{d65, {0.640, 0.330, 1}, {0.300, 0.600, 1}, {0.150, 0.060, 1}};
    case 4: // BT.470 System M
        return Chromaticities{{0.310, 0.316, 1}, {0.67, 0.33, 1}, {0.21, 0.71, 1}, {0.14, 0.08, 1}};
    case 5: // BT.601 625 lines, BT.470 System B, G
        return Chromaticities{d65, {0.64, 0.33, 1}, {0.29, 0.60, 1}, {0.15, 0.06, 1}};
    case 6: // BT.601 525 lines
    case 7: // SMPTE 240M
        return Chromaticities{d65, {0.630, 0.340, 1}, {0.310, 0.595, 1}, {0.155, 0.070, 1}};
    case 9: // BT.2020, BT.2100
        return Chromaticities{d65, {0.708, 0.292, 1}, {0.170, 0.797, 1}, {0.131, 0.046, 1}};
    case 11: // DCI-P3 (theatre white)
        return Chromaticities{
            {0.314, 0.351, 1}, {0.680, 0.320, 1}, {0.265, 0.690, 1}, {0.150, 0.060, 1}};
    case 12: // Display P3 (D65): iPhone photos
        return Chromaticities{d65, {0.680, 0.320, 1}, {0.265, 0.690, 1}, {0.150, 0.060, 1}};
    default:
        return std::nullopt;
    }
}

// H.273 transfer characteristics as a Little CMS parametric curve (type 1: y = x^g; type 4:
// y = (ax + b)^g for x >= d, else cx), decoding the stored values to linear light.
std::optional<std::array<double, 5>> transferFor(int code, int *type)
{
    *type = 4;
    switch (code) {
    case 1:  // BT.709
    case 6:  // BT.601
    case 14: // BT.2020 10 bit
    case 15: // BT.2020 12 bit
        return std::array<double, 5>{1 / 0.45, 1 / 1.099, 0.099 / 1.099, 1 / 4.5, 0.081};
    case 2:  // unspecified: sRGB, as browsers do
    case 13: // sRGB, Display P3
        return std::array<double, 5>{2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045};
    case 4: // gamma 2.2
        *type = 1;
        return std::array<double, 5>{2.2, 0, 0, 0, 0};
    case 5: // gamma 2.8
        *type = 1;
        return std::array<double, 5>{2.8, 0, 0, 0, 0};
    case 8: // linear
        *type = 1;
        return std::array<double, 5>{1.0, 0, 0, 0, 0};
    default:
        return std::nullopt;
    }
}

} // namespace

QByteArray iccProfileForCicp(int primaries, int transfer, QString *note)
{
    const bool srgbPrimaries = primaries == 1 || primaries == 2;
    const bool srgbTransfer = transfer == 13 || transfer == 2;
    if (srgbPrimaries && srgbTransfer)
        return {};
    const std::optional<Chromaticities> chromaticities = primariesFor(primaries);
    int type = 0;
    const std::optional<std::array<double, 5>> curve = transferFor(transfer, &type);
    if (!chromaticities || !curve) {
        if (note) {
            const QString hdr = transfer == 16   ? QStringLiteral(" (HDR, PQ)")
                                : transfer == 18 ? QStringLiteral(" (HDR, HLG)")
                                                 : QString();
            *note = QStringLiteral("colour description not applied (primaries %1, transfer "
                                   "%2%3): taken as sRGB")
                        .arg(primaries)
                        .arg(transfer)
                        .arg(hdr);
        }
        return {};
    }
    cmsToneCurve *toneCurve = cmsBuildParametricToneCurve(nullptr, type, curve->data());
    cmsToneCurve *curves[3] = {toneCurve, toneCurve, toneCurve};
    const cmsCIExyYTRIPLE rgb{chromaticities->red, chromaticities->green, chromaticities->blue};
    const Profile profile(cmsCreateRGBProfile(&chromaticities->white, &rgb, curves));
    cmsFreeToneCurve(toneCurve);
    if (!profile)
        return {};
    cmsSetProfileVersion(profile.get(), 4.3);
    cmsUInt32Number size = 0;
    if (!cmsSaveProfileToMem(profile.get(), nullptr, &size) || size == 0)
        return {};
    QByteArray bytes(qsizetype(size), Qt::Uninitialized);
    if (!cmsSaveProfileToMem(profile.get(), bytes.data(), &size))
        return {};
    return bytes;
}

} // namespace sluice
