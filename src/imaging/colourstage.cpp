#include "colourstage.h"

#include <QColorSpace>
#include <QtEndian>
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
