#include "heifcodec.h"

#include "colourstage.h"

#include <QtEndian>
#include <cmath>
#include <libheif/heif.h>

namespace sluice {

namespace {

struct ContextFree
{
    void operator()(heif_context *context) const { heif_context_free(context); }
};
struct HandleRelease
{
    void operator()(heif_image_handle *handle) const { heif_image_handle_release(handle); }
};
struct ImageRelease
{
    void operator()(heif_image *image) const { heif_image_release(image); }
};
struct EncoderRelease
{
    void operator()(heif_encoder *encoder) const { heif_encoder_release(encoder); }
};
struct NclxFree
{
    void operator()(heif_color_profile_nclx *nclx) const { heif_nclx_color_profile_free(nclx); }
};
using Context = std::unique_ptr<heif_context, ContextFree>;
using Handle = std::unique_ptr<heif_image_handle, HandleRelease>;
using Image = std::unique_ptr<heif_image, ImageRelease>;
using Encoder = std::unique_ptr<heif_encoder, EncoderRelease>;
using Nclx = std::unique_ptr<heif_color_profile_nclx, NclxFree>;

QString messageOf(const heif_error &error)
{
    // libheif's messages may end with a newline.
    return QString::fromUtf8(error.message ? error.message : "unknown libheif error").trimmed();
}

// libheif's initialisation (its plugin list), once per process, before any other call.
void initialiseLibheif()
{
    static const bool initialised = [] {
        heif_init(nullptr);
        return true;
    }();
    Q_UNUSED(initialised);
}

// The blocks of the file's metadata items that belong to `handle`: EXIF and XMP.
ImageMetadata metadataOf(const heif_image_handle *handle, QString *problem)
{
    ImageMetadata metadata;
    const int count = heif_image_handle_get_number_of_metadata_blocks(handle, nullptr);
    if (count <= 0)
        return metadata;
    std::vector<heif_item_id> ids(static_cast<size_t>(count));
    heif_image_handle_get_list_of_metadata_block_IDs(handle, nullptr, ids.data(), count);
    for (const heif_item_id id : ids) {
        const QByteArray type = heif_image_handle_get_metadata_type(handle, id);
        const QByteArray contentType = heif_image_handle_get_metadata_content_type(handle, id);
        const bool exif = type == "Exif";
        const bool xmp = type == "mime" && contentType == "application/rdf+xml";
        if (!exif && !xmp)
            continue;
        QByteArray data(qsizetype(heif_image_handle_get_metadata_size(handle, id)),
                        Qt::Uninitialized);
        const heif_error error = heif_image_handle_get_metadata(handle, id, data.data());
        if (error.code != heif_error_Ok) {
            *problem =
                QStringLiteral("cannot read the %1 block: %2")
                    .arg(exif ? QStringLiteral("EXIF") : QStringLiteral("XMP"), messageOf(error));
            continue;
        }
        if (exif && metadata.exif.isEmpty()) {
            metadata.exif = tiffOfExifBox(data);
            if (metadata.exif.isEmpty())
                *problem = QStringLiteral("the EXIF block has no TIFF header");
        } else if (xmp && metadata.xmp.isEmpty()) {
            metadata.xmp = data;
        }
    }
    return metadata;
}

// The colour space of the handle's pixels as an ICC profile: the embedded one, else one made
// from the nclx description (empty for sRGB). `note` says what could not be applied.
QByteArray colourProfileOf(const heif_image_handle *handle, QString *note)
{
    const size_t iccSize = heif_image_handle_get_raw_color_profile_size(handle);
    if (iccSize > 0) {
        QByteArray icc(qsizetype(iccSize), Qt::Uninitialized);
        if (heif_image_handle_get_raw_color_profile(handle, icc.data()).code == heif_error_Ok)
            return icc;
    }
    heif_color_profile_nclx *raw = nullptr;
    const heif_error error = heif_image_handle_get_nclx_color_profile(handle, &raw);
    const Nclx nclx(raw); // libheif 1.15 may hand one over with an error (unknown codes)
    if (error.code == heif_error_Color_profile_does_not_exist ||
        (error.code == heif_error_Ok && !raw))
        return {};
    if (error.code != heif_error_Ok || !raw) {
        *note = QStringLiteral("colour description not applied (%1): taken as sRGB")
                    .arg(messageOf(error));
        return {};
    }
    return iccProfileForCicp(nclx->color_primaries, nclx->transfer_characteristics, note);
}

// `bits`-bit samples (9..16) to 16 bits, full scale staying full scale: a table, as a
// division per sample made a 100 MP decode take seconds.
std::vector<quint16> widening(int bits)
{
    const quint32 max = (1u << bits) - 1;
    std::vector<quint16> table(size_t(max) + 1);
    for (quint32 v = 0; v <= max; ++v)
        table[v] = quint16((v * 65535u + max / 2) / max);
    return table;
}

// The decoded heif_image as a QImage: 8 bits as RGB888/RGBA8888 (premultiplied where the file
// says so), deeper as RGBX64/RGBA64.
QImage toQImage(const heif_image *image, bool alpha, bool premultiplied, int bits)
{
    const int width = heif_image_get_primary_width(image);
    const int height = heif_image_get_primary_height(image);
    int stride = 0;
    const uint8_t *plane = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride);
    if (!plane || width <= 0 || height <= 0)
        return {};
    if (bits <= 8) {
        const QImage::Format format = !alpha          ? QImage::Format_RGB888
                                      : premultiplied ? QImage::Format_RGBA8888_Premultiplied
                                                      : QImage::Format_RGBA8888;
        QImage pixels(width, height, format);
        if (pixels.isNull())
            return {};
        const qsizetype rowBytes = qsizetype(width) * (alpha ? 4 : 3);
        for (int y = 0; y < height; ++y)
            memcpy(pixels.scanLine(y), plane + qsizetype(y) * stride, size_t(rowBytes));
        return pixels;
    }
    const QImage::Format format = !alpha          ? QImage::Format_RGBX64
                                  : premultiplied ? QImage::Format_RGBA64_Premultiplied
                                                  : QImage::Format_RGBA64;
    QImage pixels(width, height, format);
    if (pixels.isNull())
        return {};
    const int channels = alpha ? 4 : 3;
    const std::vector<quint16> widened = widening(qBound(9, bits, 16));
    const quint16 max = quint16(widened.size() - 1);
    for (int y = 0; y < height; ++y) {
        const auto *in = reinterpret_cast<const uint8_t *>(plane + qsizetype(y) * stride);
        auto *out = reinterpret_cast<quint16 *>(pixels.scanLine(y));
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < channels; ++c)
                out[c] = widened[qMin(qFromLittleEndian<quint16>(in + 2 * c), max)];
            if (!alpha)
                out[3] = 0xFFFF;
            in += 2 * channels;
            out += 4;
        }
    }
    return pixels;
}

} // namespace

struct HeifDecoder::Handles
{
    Context context;
    Handle primary;
    std::vector<Handle> thumbnails;
};

HeifDecoder::HeifDecoder(const QByteArray &bytes, QByteArray format)
    : m_bytes(bytes)
    , m_format(std::move(format))
    , m_handles(std::make_unique<Handles>())
{}

HeifDecoder::~HeifDecoder() = default;

ImageProbe HeifDecoder::probe()
{
    m_probe = ImageProbe();
    m_probe.format = m_format;
    m_handles->thumbnails.clear();
    m_handles->primary.reset();
    m_handles->context.reset(heif_context_alloc());
    heif_context *context = m_handles->context.get();
    if (!context) {
        m_probe.error = QStringLiteral("out of memory");
        return m_probe;
    }
    heif_error error = heif_context_read_from_memory_without_copy(context, m_bytes.constData(),
                                                                  size_t(m_bytes.size()), nullptr);
    heif_image_handle *primary = nullptr;
    if (error.code == heif_error_Ok)
        error = heif_context_get_primary_image_handle(context, &primary);
    if (error.code != heif_error_Ok) {
        m_probe.error = messageOf(error);
        return m_probe;
    }
    m_handles->primary.reset(primary);
    m_probe.size =
        QSize(heif_image_handle_get_width(primary), heif_image_handle_get_height(primary));
    if (m_probe.size.isEmpty()) {
        m_probe.error = QStringLiteral("the image has no size");
        return m_probe;
    }
    // libheif decodes the coded image at whatever size its bitstream says, which a hostile file
    // makes far larger than its header (a "40x30" file decoding to 10240x7680). Its size limit,
    // checked before the pixels are allocated, is set to the header's longer side plus room
    // for grid tiles cropped by a clap box (an iPhone's 4096x3072 grid shows 4032x3024).
    constexpr int CodedSlack = 1024;
    heif_context_set_maximum_image_size_limit(
        context, qMax(m_probe.size.width(), m_probe.size.height()) + CodedSlack);
    m_probe.frameCount = qMax(1, heif_context_get_number_of_top_level_images(context));
    const int thumbnails = heif_image_handle_get_number_of_thumbnails(primary);
    if (thumbnails > 0) {
        std::vector<heif_item_id> ids(static_cast<size_t>(thumbnails));
        heif_image_handle_get_list_of_thumbnail_IDs(primary, ids.data(), thumbnails);
        for (const heif_item_id id : ids) {
            heif_image_handle *thumbnail = nullptr;
            if (heif_image_handle_get_thumbnail(primary, id, &thumbnail).code == heif_error_Ok)
                m_handles->thumbnails.emplace_back(thumbnail);
        }
    }
    m_probe.reducedScale = !m_handles->thumbnails.empty();
    return m_probe;
}

int HeifDecoder::thumbnailFor(const DecodeRequest &request) const
{
    if (request.target.isEmpty())
        return -1;
    const QSize full = m_probe.size;
    int best = -1;
    qint64 bestPixels = 0;
    for (size_t i = 0; i < m_handles->thumbnails.size(); ++i) {
        const heif_image_handle *thumbnail = m_handles->thumbnails[i].get();
        const QSize size(heif_image_handle_get_width(thumbnail),
                         heif_image_handle_get_height(thumbnail));
        // The same picture: the same shape within a pixel's rounding (a thumbnail turned
        // another way, or of a crop, is not used), and at least the target on both sides.
        const bool sameShape =
            std::abs(double(size.width()) * full.height() - double(size.height()) * full.width()) <=
            double(full.width() + full.height());
        const qint64 pixels = qint64(size.width()) * size.height();
        if (sameShape && size.width() >= request.target.width() &&
            size.height() >= request.target.height() && size.width() < full.width() &&
            (best < 0 || pixels < bestPixels)) {
            best = int(i);
            bestPixels = pixels;
        }
    }
    return best;
}

QSize HeifDecoder::decodedSize(const DecodeRequest &request) const
{
    const int thumbnail = thumbnailFor(request);
    if (thumbnail < 0)
        return m_probe.size;
    const heif_image_handle *handle = m_handles->thumbnails[size_t(thumbnail)].get();
    return QSize(heif_image_handle_get_width(handle), heif_image_handle_get_height(handle));
}

DecodedImage HeifDecoder::decode(const DecodeRequest &request)
{
    DecodedImage decoded;
    if (!m_handles->primary) {
        decoded.error = QStringLiteral("the header was not read");
        return decoded;
    }
    const int thumbnail = thumbnailFor(request);
    heif_image_handle *handle =
        thumbnail < 0 ? m_handles->primary.get() : m_handles->thumbnails[size_t(thumbnail)].get();
    const bool alpha = heif_image_handle_has_alpha_channel(handle);
    const bool premultiplied = alpha && heif_image_handle_is_premultiplied_alpha(handle);
    const int bits = qMax(8, heif_image_handle_get_luma_bits_per_pixel(handle));
    const heif_chroma chroma =
        bits > 8 ? (alpha ? heif_chroma_interleaved_RRGGBBAA_LE : heif_chroma_interleaved_RRGGBB_LE)
                 : (alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB);
    heif_image *raw = nullptr;
    const heif_error error = heif_decode_image(handle, &raw, heif_colorspace_RGB, chroma, nullptr);
    const Image image(raw);
    if (error.code != heif_error_Ok || !image) {
        decoded.error = messageOf(error);
        return decoded;
    }
    // A coded image larger than the header says, within the size limit set in probe(): refused
    // too, as libvips refuses it.
    const QSize promised(heif_image_handle_get_width(handle), heif_image_handle_get_height(handle));
    const QSize got(heif_image_get_primary_width(raw), heif_image_get_primary_height(raw));
    if (got != promised) {
        decoded.error = QStringLiteral("the image is %1×%2, its header says %3×%4")
                            .arg(got.width())
                            .arg(got.height())
                            .arg(promised.width())
                            .arg(promised.height());
        return decoded;
    }
    const int range =
        bits > 8 ? heif_image_get_bits_per_pixel_range(raw, heif_channel_interleaved) : 8;
    decoded.pixels = toQImage(raw, alpha, premultiplied, range);
    if (decoded.pixels.isNull()) {
        decoded.error = QStringLiteral("no pixels (out of memory?)");
        return decoded;
    }
    decoded.reducedScale = thumbnail >= 0;
    // The colour description and the metadata are the primary image's (a thumbnail shares
    // them, and its own are often missing).
    decoded.iccProfile = colourProfileOf(m_handles->primary.get(), &decoded.colourNote);
    // A gray profile describes gray pixels (a monochrome HEIF, decoded here as R = G = B).
    if (iccProfileIsGray(decoded.iccProfile) && !alpha)
        decoded.pixels = decoded.pixels.convertToFormat(
            decoded.pixels.depth() == 64 ? QImage::Format_Grayscale16 : QImage::Format_Grayscale8);
    if (request.metadata)
        decoded.metadata = metadataOf(m_handles->primary.get(), &decoded.metadataProblem);
    return decoded;
}

ImageMetadata HeifDecoder::metadata(QString *problem)
{
    if (!m_handles->primary)
        return {};
    return metadataOf(m_handles->primary.get(), problem);
}

namespace {

// The QImage as an 8-bit RGB(A) heif_image.
Image toHeifImage(const QImage &in, QString *error)
{
    const bool alpha = in.hasAlphaChannel();
    const QImage pixels =
        in.convertToFormat(alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
    heif_image *raw = nullptr;
    heif_error status =
        heif_image_create(pixels.width(), pixels.height(), heif_colorspace_RGB,
                          alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, &raw);
    Image image(raw);
    if (status.code == heif_error_Ok)
        status =
            heif_image_add_plane(raw, heif_channel_interleaved, pixels.width(), pixels.height(), 8);
    if (status.code != heif_error_Ok) {
        *error = messageOf(status);
        return nullptr;
    }
    int stride = 0;
    uint8_t *plane = heif_image_get_plane(raw, heif_channel_interleaved, &stride);
    const size_t rowBytes = size_t(pixels.width()) * (alpha ? 4 : 3);
    for (int y = 0; y < pixels.height(); ++y)
        memcpy(plane + qsizetype(y) * stride, pixels.constScanLine(y), rowBytes);
    return image;
}

heif_error appendTo(heif_context *, const void *data, size_t size, void *userdata)
{
    static_cast<QByteArray *>(userdata)->append(static_cast<const char *>(data), qsizetype(size));
    return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

} // namespace

EncodedImage AvifEncoder::encode(const EncodeInput &input, const EncodeSettings &settings) const
{
    EncodedImage encoded;
    // An AVIF here is RGB: gray pixels with a gray profile (--color keep) are converted to sRGB
    // first, so that the profile written always describes the pixels.
    QImage pixels = input.pixels;
    QByteArray profile = input.iccProfile;
    if (iccProfileIsGray(profile)) {
        ColouredImage srgb = toOutputColour({pixels, profile}, ColourPolicy::Srgb);
        pixels = srgb.pixels;
        profile = srgb.iccProfile;
        encoded.warning = QStringLiteral("the gray profile was applied (AVIF outputs are RGB)");
    }
    // 8-bit, 16-bit pixels too: libheif 1.15 with Debian's libaom 3.6 aborts the process on a
    // 10-bit AV1 image (an assertion in libaom's write_color_config; heif-enc -b 10 too).
    Image image = toHeifImage(pixels, &encoded.error);
    if (!image)
        return encoded;
    // The pixels' colour space: the profile, or sRGB said as nclx (primaries BT.709, sRGB
    // transfer, full range).
    Nclx nclx(heif_nclx_color_profile_alloc());
    nclx->color_primaries = heif_color_primaries_ITU_R_BT_709_5;
    nclx->transfer_characteristics = heif_transfer_characteristic_IEC_61966_2_1;
    nclx->matrix_coefficients = heif_matrix_coefficients_ITU_R_BT_601_6;
    nclx->full_range_flag = 1;
    if (!profile.isEmpty())
        heif_image_set_raw_color_profile(image.get(), "prof", profile.constData(),
                                         size_t(profile.size()));
    else
        heif_image_set_nclx_color_profile(image.get(), nclx.get());

    const Context context(heif_context_alloc());
    if (!context || !nclx) {
        encoded.error = QStringLiteral("out of memory");
        return encoded;
    }
    heif_encoder *rawEncoder = nullptr;
    heif_error status =
        heif_context_get_encoder_for_format(context.get(), heif_compression_AV1, &rawEncoder);
    const Encoder encoder(rawEncoder);
    if (status.code != heif_error_Ok) {
        encoded.error = messageOf(status);
        return encoded;
    }
    heif_encoder_set_lossy_quality(rawEncoder, qBound(0, settings.quality, 100));
    heif_encoder_set_parameter_string(rawEncoder, "chroma", settings.quality >= 90 ? "444" : "420");
    // effort 1..9 (0: the default, 4) as libaom's speed 9..1 (4: 6, libheif's default).
    const int effort = settings.effort > 0 ? qBound(1, settings.effort, 9) : 4;
    heif_encoder_set_parameter_integer(rawEncoder, "speed", qBound(0, 10 - effort, 9));
    heif_encoding_options *options = heif_encoding_options_alloc();
    options->save_alpha_channel = 1;
    options->output_nclx_profile = nclx.get(); // the matrix for RGB -> YCbCr
    heif_image_handle *rawHandle = nullptr;
    status = heif_context_encode_image(context.get(), image.get(), rawEncoder, options, &rawHandle);
    heif_encoding_options_free(options);
    const Handle handle(rawHandle);
    if (status.code != heif_error_Ok) {
        encoded.error = messageOf(status);
        return encoded;
    }
    QStringList unwritten;
    if (!input.metadata.exif.isEmpty() &&
        heif_context_add_exif_metadata(context.get(), rawHandle, input.metadata.exif.constData(),
                                       int(input.metadata.exif.size()))
                .code != heif_error_Ok)
        unwritten << QStringLiteral("EXIF");
    if (!input.metadata.xmp.isEmpty() &&
        heif_context_add_XMP_metadata(context.get(), rawHandle, input.metadata.xmp.constData(),
                                      int(input.metadata.xmp.size()))
                .code != heif_error_Ok)
        unwritten << QStringLiteral("XMP");
    if (!unwritten.isEmpty())
        encoded.warning = QStringLiteral("libheif did not take the %1 block")
                              .arg(unwritten.join(QStringLiteral(" and ")));
    heif_writer writer{1, &appendTo};
    status = heif_context_write(context.get(), &writer, &encoded.bytes);
    if (status.code != heif_error_Ok) {
        encoded.error = messageOf(status);
        encoded.bytes.clear();
        return encoded;
    }
    encoded.ok = true;
    return encoded;
}

HeifCodec::HeifCodec()
{
    initialiseLibheif();
    m_canWriteAvif = heif_have_encoder_for_format(heif_compression_AV1);
}

std::unique_ptr<ImageDecoder> HeifCodec::decoderFor(const QByteArray &bytes) const
{
    if (bytes.size() < 12)
        return nullptr;
    const auto *data = reinterpret_cast<const uint8_t *>(bytes.constData());
    const int length = int(qMin<qsizetype>(bytes.size(), 1 << 20));
    if (heif_check_filetype(data, length) != heif_filetype_yes_supported)
        return nullptr;
    const QByteArray mime = heif_get_file_mime_type(data, length);
    return std::make_unique<HeifDecoder>(
        bytes, mime == "image/avif" || mime == "image/avif-sequence" ? QByteArrayLiteral("avif")
                                                                     : QByteArrayLiteral("heif"));
}

const ImageEncoder *HeifCodec::encoderFor(const QByteArray &format) const
{
    return format == "avif" && m_canWriteAvif ? &m_avif : nullptr;
}

} // namespace sluice
