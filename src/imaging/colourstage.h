// Stage 5 of the image job: colour. Decides the colour space the output's pixels are in and
// the ICC profile that says so; the stages after it keep the two together.
//
// applyColour() pairs the decoded pixels with the profile embedded in the input. The
// conversion that --color asks for, toOutputColour(), runs after the resample stage, on the
// output's pixels (as libvips' thumbnail does): converting a 25 MP decode to convert a 2 MP
// output would cost ten times as much for differences below one level.
//
// Colour management is Little CMS 2 (the library digiKam and libvips use): RGB profiles,
// matrix or LUT-based, and gray profiles are converted to sRGB; the result is written untagged,
// which every viewer and browser takes for sRGB. A profile that does not describe the pixels
// or that Little CMS cannot read is never written, and a note says so. CMYK pixels are
// converted to sRGB by the decoder (srgbFromCmyk), before this stage.
//
// Pure: no I/O, any thread (one Little CMS transform per call, nothing shared).
#pragma once

#include "recipe.h"

#include <QByteArray>
#include <QImage>
#include <QString>

namespace sluice {

// Pixels and the ICC profile that describes them (empty: none): what the colour stage hands
// on, the resample stage keeps consistent and the encoder embeds.
struct ColouredImage
{
    QImage pixels;
    QByteArray iccProfile;
};

// In: the decoded pixels and the profile embedded in the input (DecodedImage::iccProfile).
// Out: the two together, unchanged.
ColouredImage applyColour(QImage pixels, QByteArray embeddedProfile);

// In: the resampled image and --color. Out: for Srgb the pixels converted to sRGB and no
// profile; for Keep the image as it is; for Strip the pixels without their profile. A profile
// that cannot be applied or kept (unreadable, CMYK on RGB pixels) is dropped, the pixels stay
// as decoded, and `note` says why.
ColouredImage toOutputColour(ColouredImage image, ColourPolicy policy, QString *note = nullptr);

// A CMYK image's ink values (four bytes a pixel, C M Y K, rows of width * 4 bytes; `inverted`:
// 0 is full ink, as Adobe writes them) as sRGB pixels (QImage::Format_RGB32), converted through
// `profile`, the image's CMYK profile. Without one (or one Little CMS cannot use for CMYK) the
// inks are converted arithmetically (R = (1 - C)(1 - K) and so on, what ImageMagick and Qt do
// without a profile), and `note` says so.
QImage srgbFromCmyk(const QByteArray &cmyk, QSize size, bool inverted, const QByteArray &profile,
                    QString *note = nullptr);

// An ICC profile for the RGB colour space coded by H.273 colour primaries and transfer
// characteristics (HEIF's nclx box, AV1 and JPEG XL colour descriptions): BT.709, BT.601,
// BT.2020, Display P3, DCI-P3 primaries with the sRGB, BT.709/601/2020, gamma 2.2/2.8 or
// linear transfer. Empty for sRGB (primaries 1 or unspecified with the sRGB or an unspecified
// transfer: nothing to convert), and for what no ICC profile describes (HDR PQ and HLG,
// unknown codes), which `note` then names.
QByteArray iccProfileForCicp(int primaries, int transfer, QString *note = nullptr);

} // namespace sluice
