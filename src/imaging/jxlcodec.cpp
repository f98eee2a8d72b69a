#include "jxlcodec.h"

#include <QtEndian>
#include <cmath>
#include <jxl/decode.h>
#include <jxl/decode_cxx.h>
#include <jxl/encode.h>
#include <jxl/encode_cxx.h>

namespace sluice {

namespace {

// The largest metadata box read (EXIF and XMP are kilobytes; a hostile file could claim more).
constexpr size_t MaxBoxBytes = 16 * 1024 * 1024;

const uint8_t *dataOf(const QByteArray &bytes)
{
    return reinterpret_cast<const uint8_t *>(bytes.constData());
}

// Whether a colour encoding is plain sRGB (or sRGB-gray): nothing to convert, no profile.
bool isSrgb(const JxlColorEncoding &colour)
{
    const bool srgbTransfer = colour.transfer_function == JXL_TRANSFER_FUNCTION_SRGB;
    const bool d65 = colour.white_point == JXL_WHITE_POINT_D65;
    if (colour.color_space == JXL_COLOR_SPACE_GRAY)
        return srgbTransfer && d65;
    return colour.color_space == JXL_COLOR_SPACE_RGB && srgbTransfer && d65 &&
           colour.primaries == JXL_PRIMARIES_SRGB;
}

// The profile that describes the pixels as the decoder returns them; empty for sRGB.
// `linear`: those pixels are linear light (read from the same colour encoding).
QByteArray profileOf(const JxlDecoder *decoder, QString *note, bool *linear)
{
    JxlColorEncoding encoded{};
    const bool described =
        JxlDecoderGetColorAsEncodedProfile(decoder, nullptr, JXL_COLOR_PROFILE_TARGET_DATA,
                                           &encoded) == JXL_DEC_SUCCESS;
    *linear = described && encoded.transfer_function == JXL_TRANSFER_FUNCTION_LINEAR;
    if (described && isSrgb(encoded))
        return {};
    size_t size = 0;
    if (JxlDecoderGetICCProfileSize(decoder, nullptr, JXL_COLOR_PROFILE_TARGET_DATA, &size) !=
            JXL_DEC_SUCCESS ||
        size == 0 || size > MaxBoxBytes) {
        *note = QStringLiteral("the colour profile cannot be read: taken as sRGB");
        return {};
    }
    QByteArray icc(qsizetype(size), Qt::Uninitialized);
    if (JxlDecoderGetColorAsICCProfile(decoder, nullptr, JXL_COLOR_PROFILE_TARGET_DATA,
                                       reinterpret_cast<uint8_t *>(icc.data()),
                                       size) != JXL_DEC_SUCCESS) {
        *note = QStringLiteral("the colour profile cannot be read: taken as sRGB");
        return {};
    }
    return icc;
}

// The QImage format and libjxl pixel format for a decoded image: gray stays gray (unless it
// has alpha), 8-bit samples stay 8-bit, anything deeper becomes 16-bit.
struct OutputLayout
{
    QImage::Format format;
    JxlPixelFormat pixels;
};

// `linear`: the pixels come in linear light (a lossy file whose original profile libjxl cannot
// describe decodes to linear sRGB), which 8 bits would band in the shadows: 16 bits then.
OutputLayout layoutFor(const JxlBasicInfo &info, bool linear)
{
    const bool deep = info.bits_per_sample > 8 || info.exponent_bits_per_sample > 0 || linear;
    const bool alpha = info.alpha_bits > 0;
    const bool premultiplied = alpha && info.alpha_premultiplied;
    const bool gray = info.num_color_channels == 1 && !alpha;
    const JxlDataType type = deep ? JXL_TYPE_UINT16 : JXL_TYPE_UINT8;
    // align 4: QImage's rows are padded to 4 bytes, as libjxl's are then.
    if (gray)
        return {deep ? QImage::Format_Grayscale16 : QImage::Format_Grayscale8,
                {1, type, JXL_NATIVE_ENDIAN, 4}};
    if (deep) // no 3 x 16-bit QImage format: RGBX64, libjxl fills an absent alpha as opaque
        return {!alpha          ? QImage::Format_RGBX64
                : premultiplied ? QImage::Format_RGBA64_Premultiplied
                                : QImage::Format_RGBA64,
                {4, type, JXL_NATIVE_ENDIAN, 4}};
    return {!alpha          ? QImage::Format_RGB888
            : premultiplied ? QImage::Format_RGBA8888_Premultiplied
                            : QImage::Format_RGBA8888,
            {uint32_t(alpha ? 4 : 3), type, JXL_NATIVE_ENDIAN, 4}};
}

// Collects one metadata box's (decompressed) content into `out`.
class BoxReader
{
public:
    explicit BoxReader(JxlDecoder *decoder)
        : m_decoder(decoder)
    {}

    // At a JXL_DEC_BOX event: starts reading the box if it is one we keep.
    void start(ImageMetadata &metadata)
    {
        finish();
        JxlBoxType type;
        if (JxlDecoderGetBoxType(m_decoder, type, JXL_TRUE) != JXL_DEC_SUCCESS)
            return;
        const QByteArray name(type, 4);
        if (name == "Exif" && metadata.exif.isEmpty())
            m_target = &metadata.exif;
        else if (name == "xml " && metadata.xmp.isEmpty())
            m_target = &metadata.xmp;
        else
            return;
        m_isExif = name == "Exif";
        m_buffer.resize(64 * 1024);
        JxlDecoderSetBoxBuffer(m_decoder, reinterpret_cast<uint8_t *>(m_buffer.data()),
                               size_t(m_buffer.size()));
    }

    // At JXL_DEC_BOX_NEED_MORE_OUTPUT: a larger buffer. A box over MaxBoxBytes is read on
    // into the same buffer and thrown away (libjxl wants a buffer until the box ends), and
    // `problem` says so; the image is still decoded.
    void grow(QString *problem)
    {
        const size_t remaining = JxlDecoderReleaseBoxBuffer(m_decoder);
        const qsizetype used = m_buffer.size() - qsizetype(remaining);
        auto *data = reinterpret_cast<uint8_t *>(m_buffer.data());
        if (m_discarding || size_t(m_buffer.size()) * 2 > MaxBoxBytes) {
            if (!m_discarding)
                *problem = QStringLiteral("a metadata box is over 16 MB: left out");
            m_discarding = true;
            JxlDecoderSetBoxBuffer(m_decoder, data, size_t(m_buffer.size()));
            return;
        }
        m_buffer.resize(m_buffer.size() * 2);
        data = reinterpret_cast<uint8_t *>(m_buffer.data());
        JxlDecoderSetBoxBuffer(m_decoder, data + used, size_t(m_buffer.size() - used));
    }

    // At the next box or the end: hands the finished box over.
    void finish()
    {
        if (!m_target)
            return;
        const size_t remaining = JxlDecoderReleaseBoxBuffer(m_decoder);
        m_buffer.resize(m_buffer.size() - qsizetype(remaining));
        if (!m_discarding)
            *m_target = m_isExif ? tiffOfExifBox(m_buffer) : m_buffer;
        m_target = nullptr;
        m_discarding = false;
        m_buffer.clear();
    }

private:
    JxlDecoder *m_decoder;
    QByteArray m_buffer;
    QByteArray *m_target = nullptr;
    bool m_isExif = false;
    bool m_discarding = false;
};

} // namespace

JxlImageDecoder::JxlImageDecoder(const QByteArray &bytes)
    : m_bytes(bytes)
{}

ImageProbe JxlImageDecoder::probe()
{
    m_probe = ImageProbe();
    m_probe.format = "jxl";
    const JxlDecoderPtr decoder = JxlDecoderMake(nullptr);
    JxlDecoder *dec = decoder.get();
    if (!dec ||
        JxlDecoderSubscribeEvents(dec, JXL_DEC_BASIC_INFO | JXL_DEC_FRAME) != JXL_DEC_SUCCESS ||
        JxlDecoderSetInput(dec, dataOf(m_bytes), size_t(m_bytes.size())) != JXL_DEC_SUCCESS) {
        m_probe.error = QStringLiteral("libjxl cannot start");
        return m_probe;
    }
    JxlDecoderCloseInput(dec);
    // The header as stored, with its orientation (libjxl would report both as displayed).
    JxlDecoderSetKeepOrientation(dec, JXL_TRUE);
    JxlBasicInfo info{};
    bool haveInfo = false;
    int frames = 0;
    for (;;) {
        const JxlDecoderStatus status = JxlDecoderProcessInput(dec);
        if (status == JXL_DEC_BASIC_INFO) {
            if (JxlDecoderGetBasicInfo(dec, &info) != JXL_DEC_SUCCESS)
                break;
            haveInfo = true;
            if (!info.have_animation)
                break; // one frame: the header is all the probe needs
        } else if (status == JXL_DEC_FRAME) {
            ++frames;
        } else {
            break; // success (the end of an animation), an error or truncated data
        }
    }
    if (!haveInfo) {
        m_probe.error = QStringLiteral("the file is damaged or truncated");
        return m_probe;
    }
    m_probe.orientation = qBound(1, int(info.orientation), 8);
    m_probe.size =
        QSize(int(qMin<uint32_t>(info.xsize, 1u << 30)), int(qMin<uint32_t>(info.ysize, 1u << 30)));
    m_probe.frameCount = qMax(1, frames);
    return m_probe;
}

DecodedImage JxlImageDecoder::decode(const DecodeRequest &request)
{
    DecodedImage decoded;
    const JxlDecoderPtr decoder = JxlDecoderMake(nullptr);
    JxlDecoder *dec = decoder.get();
    int events = JXL_DEC_BASIC_INFO | JXL_DEC_COLOR_ENCODING | JXL_DEC_FULL_IMAGE;
    if (request.metadata)
        events |= JXL_DEC_BOX;
    if (!dec || JxlDecoderSubscribeEvents(dec, events) != JXL_DEC_SUCCESS ||
        JxlDecoderSetInput(dec, dataOf(m_bytes), size_t(m_bytes.size())) != JXL_DEC_SUCCESS) {
        decoded.error = QStringLiteral("libjxl cannot start");
        return decoded;
    }
    if (request.metadata)
        JxlDecoderSetDecompressBoxes(dec, JXL_TRUE);
    JxlDecoderCloseInput(dec);
    BoxReader boxes(dec);
    JxlBasicInfo info{};
    OutputLayout layout{};
    QImage pixels;
    bool done = false;
    while (!done) {
        switch (JxlDecoderProcessInput(dec)) {
        case JXL_DEC_BASIC_INFO:
            JxlDecoderGetBasicInfo(dec, &info);
            layout = layoutFor(info, false);
            break;
        case JXL_DEC_COLOR_ENCODING: {
            bool linear = false;
            decoded.iccProfile = profileOf(dec, &decoded.colourNote, &linear);
            layout = layoutFor(info, linear);
            break;
        }
        case JXL_DEC_NEED_IMAGE_OUT_BUFFER: {
            if (!pixels.isNull()) { // a second frame: the first one is all we take
                done = true;
                break;
            }
            // libjxl turns the pixels as the header says, and reports the sides as displayed.
            pixels = QImage(int(info.xsize), int(info.ysize), layout.format);
            size_t needed = 0;
            if (pixels.isNull() ||
                JxlDecoderImageOutBufferSize(dec, &layout.pixels, &needed) != JXL_DEC_SUCCESS ||
                needed > size_t(pixels.sizeInBytes()) ||
                JxlDecoderSetImageOutBuffer(dec, &layout.pixels, pixels.bits(),
                                            size_t(pixels.sizeInBytes())) != JXL_DEC_SUCCESS) {
                decoded.error = pixels.isNull() ? QStringLiteral("no memory for the pixels")
                                                : QStringLiteral("unexpected pixel layout");
                return decoded;
            }
            break;
        }
        case JXL_DEC_FULL_IMAGE:
            decoded.pixels = pixels;
            // Metadata boxes may follow the image; without metadata, or in an animation (the
            // next frame would want a buffer), the first frame is the end.
            done = !request.metadata || info.have_animation;
            break;
        case JXL_DEC_BOX:
            boxes.start(decoded.metadata);
            break;
        case JXL_DEC_BOX_NEED_MORE_OUTPUT:
            boxes.grow(&decoded.metadataProblem);
            break;
        case JXL_DEC_SUCCESS:
            boxes.finish();
            done = true;
            break;
        case JXL_DEC_NEED_MORE_INPUT:
        case JXL_DEC_ERROR:
        default:
            if (decoded.pixels.isNull()) {
                decoded.error = QStringLiteral("the file is damaged or truncated");
                return decoded;
            }
            decoded.metadataProblem = QStringLiteral("the data after the image is damaged");
            done = true;
            break;
        }
    }
    if (decoded.pixels.isNull() && decoded.error.isEmpty())
        decoded.error = QStringLiteral("no image in the file");
    return decoded;
}

ImageMetadata JxlImageDecoder::metadata(QString *problem)
{
    // Only the boxes: without image events libjxl skips over the codestream.
    ImageMetadata metadata;
    const JxlDecoderPtr decoder = JxlDecoderMake(nullptr);
    JxlDecoder *dec = decoder.get();
    if (!dec || JxlDecoderSubscribeEvents(dec, JXL_DEC_BOX) != JXL_DEC_SUCCESS ||
        JxlDecoderSetInput(dec, dataOf(m_bytes), size_t(m_bytes.size())) != JXL_DEC_SUCCESS) {
        *problem = QStringLiteral("libjxl cannot start");
        return metadata;
    }
    JxlDecoderSetDecompressBoxes(dec, JXL_TRUE);
    JxlDecoderCloseInput(dec);
    BoxReader boxes(dec);
    for (;;) {
        switch (JxlDecoderProcessInput(dec)) {
        case JXL_DEC_BOX:
            boxes.start(metadata);
            break;
        case JXL_DEC_BOX_NEED_MORE_OUTPUT:
            boxes.grow(problem);
            break;
        case JXL_DEC_SUCCESS:
            boxes.finish();
            return metadata;
        default:
            boxes.finish();
            *problem = QStringLiteral("the file is damaged or truncated");
            return metadata;
        }
    }
}

float jxlDistanceForQuality(int quality)
{
    const double q = qBound(0, quality, 100);
    if (q >= 100)
        return 0.0f;
    if (q >= 30)
        return float(0.1 + (100 - q) * 0.09);
    return float(qMin(25.0, 6.4 + std::pow(2.5, (30 - q) / 5.0) / 6.25)); // 25: libjxl's most
}

namespace {

// The pixels as libjxl takes them: 8-bit RGB, RGBA or gray as QImage holds them, 16-bit RGB
// packed into three channels.
struct FrameData
{
    QImage image;      // the pixels (rows padded to 4 bytes)
    QByteArray packed; // or these (16-bit RGB, no padding)
    JxlPixelFormat format;
    bool deep;
    bool alpha;
    bool gray;
};

// `rgbProfile`: the pixels go out with an RGB profile, so gray pixels are written as RGB (a gray
// image with an RGB profile: Qt makes one from a PNG's gAMA/cHRM).
FrameData frameDataOf(const QImage &gray, bool rgbProfile)
{
    FrameData frame{};
    const bool isGray =
        gray.format() == QImage::Format_Grayscale8 || gray.format() == QImage::Format_Grayscale16;
    const QImage in = !isGray || !rgbProfile
                          ? gray
                          : gray.convertToFormat(gray.depth() == 16 ? QImage::Format_RGBX64
                                                                    : QImage::Format_RGB888);
    const QImage::Format f = in.format();
    frame.deep = f == QImage::Format_RGBX64 || f == QImage::Format_RGBA64 ||
                 f == QImage::Format_RGBA64_Premultiplied || f == QImage::Format_Grayscale16;
    frame.alpha = in.hasAlphaChannel();
    frame.gray = (f == QImage::Format_Grayscale8 || f == QImage::Format_Grayscale16);
    const JxlDataType type = frame.deep ? JXL_TYPE_UINT16 : JXL_TYPE_UINT8;
    if (frame.gray) {
        frame.image = in;
        frame.format = {1, type, JXL_NATIVE_ENDIAN, 4};
    } else if (frame.deep && frame.alpha) {
        frame.image = in.convertToFormat(QImage::Format_RGBA64);
        frame.format = {4, type, JXL_NATIVE_ENDIAN, 4};
    } else if (frame.deep) {
        const QImage rgbx = in.convertToFormat(QImage::Format_RGBX64);
        frame.packed.resize(qsizetype(rgbx.width()) * rgbx.height() * 6);
        auto *out = reinterpret_cast<quint16 *>(frame.packed.data());
        for (int y = 0; y < rgbx.height(); ++y) {
            const auto *row = reinterpret_cast<const quint16 *>(rgbx.constScanLine(y));
            for (int x = 0; x < rgbx.width(); ++x, row += 4, out += 3) {
                out[0] = row[0];
                out[1] = row[1];
                out[2] = row[2];
            }
        }
        frame.format = {3, type, JXL_NATIVE_ENDIAN, 0};
    } else {
        frame.image =
            in.convertToFormat(frame.alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
        frame.format = {uint32_t(frame.alpha ? 4 : 3), type, JXL_NATIVE_ENDIAN, 4};
    }
    return frame;
}

// An ISO BMFF "Exif" box's content for a TIFF structure: a zero offset, then the TIFF.
QByteArray exifBoxOf(const QByteArray &tiff)
{
    return QByteArray(4, '\0') + tiff;
}

} // namespace

EncodedImage JxlImageEncoder::encode(const EncodeInput &input, const EncodeSettings &settings) const
{
    EncodedImage encoded;
    const FrameData frame = frameDataOf(input.pixels, !input.iccProfile.isEmpty() &&
                                                          !iccProfileIsGray(input.iccProfile));
    const JxlEncoderPtr encoder = JxlEncoderMake(nullptr);
    JxlEncoder *enc = encoder.get();
    if (!enc) {
        encoded.error = QStringLiteral("libjxl cannot start");
        return encoded;
    }
    const auto failed = [&](const char *step) {
        encoded.error = QStringLiteral("libjxl refused the %1 (error %2)")
                            .arg(QLatin1String(step))
                            .arg(int(JxlEncoderGetError(enc)));
        return encoded;
    };
    const bool withBoxes = !input.metadata.exif.isEmpty() || !input.metadata.xmp.isEmpty();
    if (withBoxes && JxlEncoderUseBoxes(enc) != JXL_ENC_SUCCESS)
        return failed("metadata boxes");

    JxlBasicInfo info;
    JxlEncoderInitBasicInfo(&info);
    info.xsize = uint32_t(input.pixels.width());
    info.ysize = uint32_t(input.pixels.height());
    info.bits_per_sample = frame.deep ? 16 : 8;
    info.num_color_channels = frame.gray ? 1 : 3;
    info.alpha_bits = frame.alpha ? info.bits_per_sample : 0;
    info.num_extra_channels = frame.alpha ? 1 : 0;
    info.uses_original_profile = settings.lossless ? JXL_TRUE : JXL_FALSE;
    if (JxlEncoderSetBasicInfo(enc, &info) != JXL_ENC_SUCCESS)
        return failed("image header");
    if (!input.iccProfile.isEmpty()) {
        if (JxlEncoderSetICCProfile(enc, dataOf(input.iccProfile),
                                    size_t(input.iccProfile.size())) != JXL_ENC_SUCCESS)
            return failed("colour profile");
    } else {
        JxlColorEncoding srgb;
        JxlColorEncodingSetToSRGB(&srgb, frame.gray ? JXL_TRUE : JXL_FALSE);
        if (JxlEncoderSetColorEncoding(enc, &srgb) != JXL_ENC_SUCCESS)
            return failed("colour encoding");
    }

    JxlEncoderFrameSettings *options = JxlEncoderFrameSettingsCreate(enc, nullptr);
    const int effort = settings.effort > 0 ? qBound(1, settings.effort, 9) : 7;
    JxlEncoderFrameSettingsSetOption(options, JXL_ENC_FRAME_SETTING_EFFORT, effort);
    if (settings.lossless)
        JxlEncoderSetFrameLossless(options, JXL_TRUE);
    else
        JxlEncoderSetFrameDistance(options, jxlDistanceForQuality(settings.quality));

    if (!input.metadata.exif.isEmpty()) {
        const QByteArray box = exifBoxOf(input.metadata.exif);
        if (JxlEncoderAddBox(enc, "Exif", dataOf(box), size_t(box.size()), JXL_FALSE) !=
            JXL_ENC_SUCCESS)
            encoded.warning = QStringLiteral("libjxl did not take the EXIF block");
    }
    if (!input.metadata.xmp.isEmpty() &&
        JxlEncoderAddBox(enc, "xml ", dataOf(input.metadata.xmp), size_t(input.metadata.xmp.size()),
                         JXL_FALSE) != JXL_ENC_SUCCESS)
        encoded.warning = QStringLiteral("libjxl did not take the XMP block");
    if (withBoxes)
        JxlEncoderCloseBoxes(enc);

    const void *data = frame.packed.isEmpty() ? static_cast<const void *>(frame.image.constBits())
                                              : frame.packed.constData();
    const size_t size =
        frame.packed.isEmpty() ? size_t(frame.image.sizeInBytes()) : size_t(frame.packed.size());
    if (JxlEncoderAddImageFrame(options, &frame.format, data, size) != JXL_ENC_SUCCESS)
        return failed("pixels");
    JxlEncoderCloseInput(enc);

    QByteArray &out = encoded.bytes;
    out.resize(qMax<qsizetype>(64 * 1024, qsizetype(size / 8)));
    qsizetype used = 0;
    for (;;) {
        auto *next = reinterpret_cast<uint8_t *>(out.data()) + used;
        size_t available = size_t(out.size() - used);
        const JxlEncoderStatus status = JxlEncoderProcessOutput(enc, &next, &available);
        used = out.size() - qsizetype(available);
        if (status == JXL_ENC_SUCCESS)
            break;
        if (status != JXL_ENC_NEED_MORE_OUTPUT) {
            out.clear();
            return failed("encoding");
        }
        out.resize(out.size() * 2);
    }
    out.resize(used);
    encoded.ok = true;
    return encoded;
}

std::unique_ptr<ImageDecoder> JxlCodec::decoderFor(const QByteArray &bytes) const
{
    const JxlSignature signature = JxlSignatureCheck(dataOf(bytes), size_t(bytes.size()));
    if (signature != JXL_SIG_CODESTREAM && signature != JXL_SIG_CONTAINER)
        return nullptr;
    return std::make_unique<JxlImageDecoder>(bytes);
}

const ImageEncoder *JxlCodec::encoderFor(const QByteArray &format) const
{
    return format == "jxl" ? &m_encoder : nullptr;
}

} // namespace sluice
