#include "jpegturbo.h"

#include <QLoggingCategory>
#include <QSysInfo>
#include <csetjmp>
#include <cstdio> // jpeglib.h needs FILE
#include <cstdlib>
#include <jerror.h>
#include <jpeglib.h>

namespace sluice {

namespace {

// libjpeg reports a fatal error by calling error_exit, which must not return: it jumps back to
// the decompressor's owner.
struct ErrorManager
{
    jpeg_error_mgr manager;
    std::jmp_buf jump;
};

[[noreturn]] void jumpBack(j_common_ptr info)
{
    std::longjmp(reinterpret_cast<ErrorManager *>(info->err)->jump, 1);
}

Q_LOGGING_CATEGORY(lcJpeg, "sluice.imageio.jpeg")

// libjpeg's warnings about damaged data it reads past ("Corrupt JPEG data: ..."), as Qt's reader
// passes them on: to Qt's message handler, which sluice-cli keeps off the terminal unless
// SLUICE_IMAGE_WARNINGS is set (the outcome of every input is in the summary and the report).
void forward(j_common_ptr info)
{
    char text[JMSG_LENGTH_MAX] = {};
    info->err->format_message(info, text);
    qCWarning(lcJpeg, "%s", text);
}

// libjpeg's message for the error it stopped on, as a user reads it.
QString messageOf(j_decompress_ptr info)
{
    jpeg_error_mgr *err = info->err;
    if (err->msg_code == JERR_BAD_PRECISION)
        return QStringLiteral("unsupported: %1-bit JPEG").arg(err->msg_parm.i[0]);
    if (err->msg_code == JERR_SOF_UNSUPPORTED && err->msg_parm.i[0] == 0xC3)
        return QStringLiteral("unsupported: lossless JPEG");
    char text[JMSG_LENGTH_MAX] = {};
    err->format_message(reinterpret_cast<j_common_ptr>(info), text);
    return QString::fromLocal8Bit(text);
}

// Runs `work`, which calls libjpeg with `errors`; false when libjpeg stopped on an error. The
// jump lands here, in a frame that changes no local object, and `work` keeps no object with a
// destructor alive across a libjpeg call.
template<typename Work>
bool guarded(ErrorManager &errors, Work work)
{
    if (setjmp(errors.jump))
        return false;
    work();
    return true;
}

// One decompressor over `bytes`, destroyed with it.
class Decompressor
{
public:
    explicit Decompressor(const QByteArray &bytes)
    {
        info.err = jpeg_std_error(&errors.manager);
        errors.manager.error_exit = jumpBack;
        errors.manager.output_message = forward;
        // libjpeg refuses an empty source at once (and may run out of memory creating the
        // decompressor): with a jump target, and two bytes that are no JPEG instead of none, the
        // first read says what is wrong.
        static const unsigned char NotAJpeg[2] = {0, 0};
        const bool empty = bytes.isEmpty();
        created = guarded(errors, [&] {
            jpeg_create_decompress(&info);
            jpeg_mem_src(&info,
                         empty ? NotAJpeg
                               : reinterpret_cast<const unsigned char *>(bytes.constData()),
                         empty ? 2ul : static_cast<unsigned long>(bytes.size()));
        });
    }
    ~Decompressor() { jpeg_destroy_decompress(&info); } // safe on a half-created one
    Decompressor(const Decompressor &) = delete;
    Decompressor &operator=(const Decompressor &) = delete;

    jpeg_decompress_struct info{};
    ErrorManager errors{};
    bool created = false;
};

bool isCmyk(const jpeg_decompress_struct &info)
{
    return info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
}

// Asks libjpeg for `size`: the full size, or the DCT scaling (1/2, 1/4, 1/8) that gives it.
void scaleTo(jpeg_decompress_struct &info, QSize size)
{
    info.scale_num = 1;
    info.scale_denom = 1;
    for (unsigned denominator : {8u, 4u, 2u})
        if ((info.image_width + denominator - 1) / denominator == unsigned(size.width()))
            info.scale_denom = denominator;
}

// After jpeg_start_decompress: whether the rows come at `size`.
bool isAt(const jpeg_decompress_struct &info, QSize size)
{
    return int(info.output_width) == size.width() && int(info.output_height) == size.height();
}

// A libjpeg destination that writes into a buffer of the compressor's own, grown with realloc.
// (libjpeg's memory destination frees the buffers it outgrows but tells its caller the final one
// only when compression completes: after an error the caller holds a freed pointer.)
struct MemoryDestination
{
    jpeg_destination_mgr manager{};
    JOCTET *data = nullptr;
    size_t capacity = 0;
    size_t length = 0; // bytes written, known once compression completed
};

MemoryDestination *destinationOf(j_compress_ptr info)
{
    return reinterpret_cast<MemoryDestination *>(info->dest);
}

void startDestination(j_compress_ptr info)
{
    MemoryDestination *d = destinationOf(info);
    if (!d->data) {
        d->capacity = 64 * 1024;
        d->data = static_cast<JOCTET *>(std::malloc(d->capacity));
        if (!d->data)
            ERREXIT1(info, JERR_OUT_OF_MEMORY, 0);
    }
    d->manager.next_output_byte = d->data;
    d->manager.free_in_buffer = d->capacity;
}

boolean growDestination(j_compress_ptr info)
{
    MemoryDestination *d = destinationOf(info);
    const size_t used = d->capacity;
    auto *grown = static_cast<JOCTET *>(std::realloc(d->data, used * 2));
    if (!grown)
        ERREXIT1(info, JERR_OUT_OF_MEMORY, 1); // d->data is still the compressor's to free
    d->data = grown;
    d->capacity = used * 2;
    d->manager.next_output_byte = d->data + used;
    d->manager.free_in_buffer = d->capacity - used;
    return TRUE;
}

void finishDestination(j_compress_ptr info)
{
    MemoryDestination *d = destinationOf(info);
    d->length = d->capacity - d->manager.free_in_buffer;
}

// One compressor writing into memory of its own, freed with it.
class Compressor
{
public:
    Compressor()
    {
        info.err = jpeg_std_error(&errors.manager);
        errors.manager.error_exit = jumpBack;
        errors.manager.output_message = forward;
        destination.manager.init_destination = startDestination;
        destination.manager.empty_output_buffer = growDestination;
        destination.manager.term_destination = finishDestination;
        created = guarded(errors, [&] { jpeg_create_compress(&info); });
        info.dest = &destination.manager;
    }
    ~Compressor()
    {
        info.dest = nullptr; // not libjpeg's to free
        jpeg_destroy_compress(&info);
        std::free(destination.data);
    }
    Compressor(const Compressor &) = delete;
    Compressor &operator=(const Compressor &) = delete;

    jpeg_compress_struct info{};
    ErrorManager errors{};
    MemoryDestination destination;
    bool created = false;
};

} // namespace

JpegHeader readJpegHeader(const QByteArray &bytes)
{
    JpegHeader header;
    Decompressor d(bytes);
    if (!guarded(d.errors, [&] {
            jpeg_read_header(&d.info, TRUE);
            header.cmyk = isCmyk(d.info);
        }))
        header.error = messageOf(&d.info);
    return header;
}

CmykPixels decodeCmykJpeg(const QByteArray &bytes, QSize size)
{
    CmykPixels pixels;
    Decompressor d(bytes);
    bool scaled = true;
    const bool read = guarded(d.errors, [&] {
        jpeg_read_header(&d.info, TRUE);
        if (!isCmyk(d.info) || d.info.num_components != 4)
            return;
        d.info.out_color_space = JCS_CMYK;
        scaleTo(d.info, size);
        jpeg_start_decompress(&d.info);
        scaled = d.info.output_components == 4 && isAt(d.info, size);
        if (!scaled) {
            jpeg_abort_decompress(&d.info);
            return;
        }
        const qsizetype rowBytes = qsizetype(size.width()) * 4;
        pixels.data.resize(rowBytes * size.height());
        auto *first = reinterpret_cast<JSAMPLE *>(pixels.data.data());
        while (d.info.output_scanline < d.info.output_height) {
            JSAMPROW row = first + rowBytes * qsizetype(d.info.output_scanline);
            jpeg_read_scanlines(&d.info, &row, 1);
        }
        pixels.inverted = d.info.saw_Adobe_marker;
        pixels.size = size;
        jpeg_finish_decompress(&d.info);
    });
    if (!read)
        pixels.error = messageOf(&d.info);
    else if (!scaled)
        pixels.error = QStringLiteral("the CMYK JPEG cannot be decoded at %1x%2")
                           .arg(size.width())
                           .arg(size.height());
    else if (pixels.size.isEmpty())
        pixels.error = QStringLiteral("not a CMYK JPEG");
    if (!pixels.error.isEmpty())
        pixels = CmykPixels{{}, {}, false, pixels.error};
    return pixels;
}

struct JpegScanlines::Private
{
    explicit Private(const QByteArray &bytes)
        : bytes(bytes)
        , decompressor(this->bytes)
    {}

    QByteArray bytes; // shared with the caller's: libjpeg reads from it until the end
    Decompressor decompressor;
    QString error;
    QSize size;
    QSizeF extent;
    QImage::Format format = QImage::Format_Invalid;
    int dpmX = 0, dpmY = 0;
    QByteArray icc;
    QByteArray row; // the last row handed over
    int next = 0;   // the index of the row libjpeg hands over next
    bool failed = false;
    bool finished = false; // jpeg_finish_decompress was called
};

JpegScanlines::JpegScanlines(const QByteArray &bytes, QSize size)
    : d(new Private(bytes))
{
    jpeg_decompress_struct &info = d->decompressor.info;
    bool fits = false;
    const bool started = guarded(d->decompressor.errors, [&] {
        jpeg_save_markers(&info, JPEG_APP0 + 2, 0xFFFF); // the ICC profile's segments
        jpeg_read_header(&info, TRUE);
        const bool gray = info.jpeg_color_space == JCS_GRAYSCALE && info.num_components == 1;
        const bool rgb = (info.jpeg_color_space == JCS_YCbCr || info.jpeg_color_space == JCS_RGB) &&
                         info.num_components == 3;
        if ((!gray && !rgb) || info.data_precision != 8)
            return;
        // As Qt's reader decodes at its default quality: accurate integer IDCT, smooth chroma
        // upsampling. QImage's RGB32 is B, G, R, x in memory on a little-endian machine.
        info.dct_method = JDCT_ISLOW;
        info.do_fancy_upsampling = TRUE;
        info.out_color_space =
            gray ? JCS_GRAYSCALE
                 : (QSysInfo::ByteOrder == QSysInfo::LittleEndian ? JCS_EXT_BGRX : JCS_EXT_XRGB);
        scaleTo(info, size);
        jpeg_calc_output_dimensions(&info);
        if (!isAt(info, size))
            return;
        fits = true;
        JOCTET *icc = nullptr;
        unsigned int length = 0;
        if (jpeg_read_icc_profile(&info, &icc, &length)) {
            d->icc = QByteArray(reinterpret_cast<const char *>(icc), qsizetype(length));
            free(icc); // allocated by libjpeg with malloc
        }
        jpeg_start_decompress(&info);
        d->format = gray ? QImage::Format_Grayscale8 : QImage::Format_RGB32;
    });
    if (!started) {
        d->error = messageOf(&info);
        d->format = QImage::Format_Invalid;
        d->icc.clear();
        return;
    }
    if (!fits) {
        d->error = QStringLiteral("not an 8-bit RGB or gray JPEG at %1x%2")
                       .arg(size.width())
                       .arg(size.height());
        return;
    }
    d->size = size;
    d->extent = QSizeF(info.image_width, info.image_height) / double(info.scale_denom);
    // The resolution as Qt's reader reads it: 1 dots per inch, 2 dots per centimetre.
    if (info.density_unit == 1) {
        d->dpmX = int(100.0 * info.X_density / 2.54);
        d->dpmY = int(100.0 * info.Y_density / 2.54);
    } else if (info.density_unit == 2) {
        d->dpmX = int(100.0 * info.X_density);
        d->dpmY = int(100.0 * info.Y_density);
    }
    const int bytesPerPixel = d->format == QImage::Format_RGB32 ? 4 : 1;
    d->row = QByteArray(qsizetype(size.width()) * bytesPerPixel, char(0x80));
}

JpegScanlines::~JpegScanlines()
{
    delete d;
}

QString JpegScanlines::error() const
{
    return d->error;
}

QSize JpegScanlines::size() const
{
    return d->size;
}

QImage::Format JpegScanlines::format() const
{
    return d->format;
}

QSizeF JpegScanlines::extent() const
{
    return d->extent;
}

int JpegScanlines::dotsPerMeterX() const
{
    return d->dpmX;
}

int JpegScanlines::dotsPerMeterY() const
{
    return d->dpmY;
}

QByteArray JpegScanlines::iccProfile() const
{
    return d->icc;
}

const uchar *JpegScanlines::row(int y)
{
    auto *out = reinterpret_cast<uchar *>(d->row.data());
    if (d->size.isEmpty() || d->failed || y < d->next)
        return out;
    jpeg_decompress_struct &info = d->decompressor.info;
    const bool read = guarded(d->decompressor.errors, [&] {
        JSAMPROW rows[1] = {out};
        while (d->next <= y && info.output_scanline < info.output_height) {
            jpeg_read_scanlines(&info, rows, 1);
            ++d->next;
        }
        // After the last row, the rest of the file up to its end marker, as Qt's reader reads
        // it: what is wrong there is said (a warning), or stops the decode (an error).
        if (info.output_scanline == info.output_height && !d->finished) {
            d->finished = true;
            jpeg_finish_decompress(&info);
        }
    });
    if (!read) {
        // Gray filler from here on, as libjpeg fills what a truncated file lacks.
        d->failed = true;
        d->error = messageOf(&info);
        d->row.fill(char(0x80));
    }
    return out;
}

QByteArray encodeJpeg(const QImage &pixels, const JpegSettings &settings,
                      const QByteArray &iccProfile, QString *error)
{
    // Gray formats, and palettes of grays only (as Qt's writer tells them), as one channel.
    const QImage::Format format = pixels.format();
    const bool palette = format == QImage::Format_Indexed8 || format == QImage::Format_Mono ||
                         format == QImage::Format_MonoLSB;
    const bool gray = format == QImage::Format_Grayscale8 || format == QImage::Format_Grayscale16 ||
                      (palette && pixels.isGrayscale());
    const QImage image =
        pixels.convertToFormat(gray ? QImage::Format_Grayscale8 : QImage::Format_RGB32);
    if (image.isNull() || image.width() > JPEG_MAX_DIMENSION ||
        image.height() > JPEG_MAX_DIMENSION) {
        *error = image.isNull() ? QStringLiteral("not enough memory for the pixels")
                                : QStringLiteral("larger than JPEG's 65500 pixels a side");
        return {};
    }
    Compressor c;
    if (!c.created) {
        *error = QStringLiteral("not enough memory for the JPEG encoder");
        return {};
    }
    jpeg_compress_struct &info = c.info;
    const bool written = guarded(c.errors, [&] {
        info.image_width = JDIMENSION(image.width());
        info.image_height = JDIMENSION(image.height());
        // QImage's RGB32 is 0xffRRGGBB in one native word: B, G, R, x in memory on a
        // little-endian machine. libjpeg-turbo reads that layout itself.
        info.input_components = gray ? 1 : 4;
        info.in_color_space =
            gray ? JCS_GRAYSCALE
                 : (QSysInfo::ByteOrder == QSysInfo::LittleEndian ? JCS_EXT_BGRX : JCS_EXT_XRGB);
        jpeg_set_defaults(&info);
        jpeg_set_quality(&info, qBound(0, settings.quality, 100), TRUE);
        if (!gray && settings.fullChroma)
            info.comp_info[0].h_samp_factor = info.comp_info[0].v_samp_factor = 1;
        info.optimize_coding = TRUE;
        if (settings.progressive)
            jpeg_simple_progression(&info);
        // The resolution, as Qt's writer stores it: dots per inch, rounded.
        if (image.dotsPerMeterX() > 0 && image.dotsPerMeterY() > 0) {
            info.density_unit = 1;
            info.X_density = UINT16(qBound(1, qRound(image.dotsPerMeterX() * 0.0254), 65535));
            info.Y_density = UINT16(qBound(1, qRound(image.dotsPerMeterY() * 0.0254), 65535));
        }
        jpeg_start_compress(&info, TRUE);
        if (!iccProfile.isEmpty())
            jpeg_write_icc_profile(&info, reinterpret_cast<const JOCTET *>(iccProfile.constData()),
                                   unsigned(iccProfile.size()));
        while (info.next_scanline < info.image_height) {
            auto row = const_cast<JSAMPROW>(image.constScanLine(int(info.next_scanline)));
            jpeg_write_scanlines(&info, &row, 1);
        }
        jpeg_finish_compress(&info);
    });
    if (!written) {
        char text[JMSG_LENGTH_MAX] = {};
        info.err->format_message(reinterpret_cast<j_common_ptr>(&info), text);
        *error = QString::fromLocal8Bit(text);
        return {};
    }
    return QByteArray(reinterpret_cast<const char *>(c.destination.data),
                      qsizetype(c.destination.length));
}

} // namespace sluice
