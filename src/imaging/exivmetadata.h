// The metadata blocks of image files, read, corrected and written with Exiv2 (the library
// digiKam uses). The only file of Sluice that includes Exiv2: the stages see raw blocks
// (ImageMetadata, codec.h), never Exiv2's types.
//
// Threads: every function may run on any number of pool workers at once. Exiv2 keeps no state
// per image outside the objects these functions create; the one process-wide part, the XMP
// toolkit, is initialised once with a lock (exiv2::initialize() does this on first use).
// Errors: Exiv2 throws on damaged data; nothing here throws, each function says what failed.
#pragma once

#include "codec.h"
#include "recipe.h"
#include "sink.h"

#include <QByteArray>
#include <QSize>
#include <QString>

namespace sluice::exiv2 {

// Sets up Exiv2 for use from many threads (XMP toolkit lock, warnings off). Called by the
// functions below; cheap after the first call.
void initialize();

// The EXIF, XMP and IPTC blocks and the comment of the image file in `file` (any format Exiv2
// reads). Blocks the file does not have stay empty. A file whose metadata Exiv2 cannot parse
// gives what could be read and a reason in `error`. With `iccProfile`, what readIccProfile()
// would say is set there from the same reading (one parse of the file for both).
ImageMetadata readBlocks(const QByteArray &file, QString *error = nullptr,
                         QByteArray *iccProfile = nullptr);

// The capture date and camera model in the blocks: EXIF DateTimeOriginal (with its
// OffsetTimeOriginal when set; else the wall-clock time as UTC, so no time zone shifts it),
// else DateTimeDigitized or XMP's DateTimeOriginal/DateCreated/CreateDate, else the EXIF
// DateTime; the camera from EXIF Model, else XMP tiff:Model. Unreadable or blank values
// ("0000:00:00 00:00:00") count as missing.
CaptureInfo captureInfo(const ImageMetadata &blocks);

// The ICC profile embedded in the image file in `file`, whatever its colour space (Qt 6.4
// parses only RGB matrix profiles); without one, Adobe RGB's when the EXIF says Adobe RGB the
// DCF way (ColorSpace uncalibrated, InteroperabilityIndex "R03"); else empty (also when it
// cannot be read).
QByteArray readIccProfile(const QByteArray &file);

// The blocks to embed in an output of `outputSize` whose pixels are upright: for None nothing;
// for Keep everything, with Orientation 1, the pixel dimensions of the output and no embedded
// thumbnail (it shows the input); for Public also without location, serial numbers, owner
// names, maker notes and edit history (which holds file paths). `srgbPixels`: the output's
// pixels are untagged sRGB, so an EXIF/XMP ColorSpace or interoperability index saying Adobe RGB
// (uncalibrated, "R03") is made to say sRGB (1, "R98"). `text` is left as it is.
ImageMetadata correctedBlocks(const ImageMetadata &source, MetadataPolicy policy, QSize outputSize,
                              QString *error = nullptr, bool srgbPixels = false);

// Writes the blocks into `encoded`, a file of `format` ("jpeg", "png", "webp", "tiff") that was
// encoded without them, keeping everything it holds (pixels, colour profile, text). PNG gets a
// standard eXIf chunk. `iccProfile`, when not empty, is embedded too (a profile the encoder
// could not write: LUT-based, gray). Formats without metadata ("bmp") are left alone. False:
// `encoded` is unchanged and `error` says why.
bool embedBlocks(QByteArray &encoded, const QByteArray &format, const ImageMetadata &metadata,
                 QString *error, const QByteArray &iccProfile = {});

} // namespace sluice::exiv2
