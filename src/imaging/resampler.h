// Sharp resampling of a QImage to an exact size, and a light unsharp mask: the resample stage's
// kernel. Pure pixel arithmetic: no I/O, no shared state; any thread, any number at once (the
// pool parallelises across images, so one call uses one thread).
//
// resample() is a separable Lanczos3 filter (the filter ImageMagick's -resize and libvips'
// reduce use for photographs) in the image's own (gamma-encoded) values. Weights are computed
// once per output column and row, as 14-bit fixed point for 8-bit images and as float for
// 16-bit ones; the horizontal pass feeds a small ring of filtered rows that the vertical pass
// reads, so the intermediate is a few rows, not a whole image. Near a border the kernel is cut
// at the edge and renormalised over the pixels that exist (as ImageMagick does). Alpha is
// filtered premultiplied, so transparent pixels lend no colour to the edges of opaque ones.
//
// Formats: RGB32, ARGB32(_Premultiplied), RGBX8888, RGBA8888(_Premultiplied), Grayscale8 and
// Alpha8 are filtered as they are (8 bits); RGBX64, RGBA64(_Premultiplied) and Grayscale16 with
// 16 bits throughout. The result has the input's format, except for formats with a colour table
// (Mono, Indexed8), which give RGB32 or ARGB32_Premultiplied. Other formats are filtered in the
// nearest of these and converted back. Colour space, resolution and text are kept.
#pragma once

#include <QImage>
#include <QSize>
#include <functional>

namespace sluice {

// `image` resampled to exactly `size` (aspect ratio not kept: the caller plans the size).
// Enlarges as well as reduces. Returns `image` itself when the size is already right, and a
// null image when `image` is null, `size` is empty, or the result cannot be allocated.
QImage resample(const QImage &image, QSize size);

// A source that hands over its rows one at a time: row y of the image (valid until the next
// call), for y increasing from 0 (rows may be passed over). A decoder that reads scanline by
// scanline (libjpeg) feeds the filter as it goes, and the decoded image is never held whole.
using RowSource = std::function<const uchar *(int y)>;

// resample() of a source of `sourceSize` read through `sourceRow`, each row once and top to
// bottom, with exactly the same result. `format` must be one that is filtered as it is (see
// above: RGB32, ARGB32_Premultiplied, Grayscale8, RGBX64, Grayscale16, ...); returns a null
// image for any other, or when a size is empty or the result cannot be allocated.
// `extent`, when given, is how much of the source (from its top left corner, in its pixels)
// the picture spans: a JPEG of 3837 rows decoded at 1/4 has 960 rows, the last one mostly
// padding, and spans 959.25; the output is mapped onto that, not stretched over the padding.
QImage resampleRows(QSize sourceSize, QImage::Format format, const RowSource &sourceRow, QSize size,
                    QSizeF extent = QSizeF());

// A light unsharp mask for after a reduction: out = in + amount * (in - gaussian(in, sigma)),
// where |in - gaussian| is above `threshold` (in 8-bit levels; 16-bit images scale it).
struct UnsharpMask
{
    double amount = 0.5; // 0 leaves the image as it is; 1 doubles the local contrast
    double sigma = 0.6;  // radius of the blur, in output pixels
    int threshold = 2;   // differences up to this are noise and left alone
};

// `image` sharpened by `mask`, in the same format (see resample() for which formats are
// filtered as they are). Returns a null image when `image` is null or cannot be copied.
QImage unsharpMask(const QImage &image, const UnsharpMask &mask = {});

} // namespace sluice
