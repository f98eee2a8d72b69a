// Stage 5 of the image job: colour. Decides the colour space the output's pixels are in and
// the ICC profile that says so; the stages after it keep the two together.
//
// For now a pass-through: the pixels keep the profile they were decoded with (Qt attaches it
// to the QImage as its colorSpace(), and Qt's writers embed that). Colour management through
// Little CMS plugs in here: convert to sRGB, keep or strip (--color), and the profiles Qt
// cannot apply (CMYK, gray, LUT-based).
//
// Pure: no I/O, any thread.
#pragma once

#include <QByteArray>
#include <QImage>

namespace sluice {

// Pixels and the ICC profile that describes them (empty: none): what the colour stage hands
// on, the resample stage keeps consistent and the encoder embeds.
struct ColouredImage
{
    QImage pixels;
    QByteArray iccProfile;
};

// In: the decoded pixels and the profile embedded in the input (DecodedImage::iccProfile).
// Out: the pixels in the output's colour space and that space's profile.
ColouredImage applyColour(QImage pixels, QByteArray embeddedProfile);

} // namespace sluice
