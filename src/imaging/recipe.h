// The settings of one run: how to size, encode, name and protect. Plain data, copied freely;
// a Recipe is read-only once a batch starts, so any thread may read it without a lock.
#pragma once

#include <QByteArray>
#include <QSize>
#include <QString>
#include <QtGlobal>
#include <optional>

namespace sluice {

enum class ResizeMode : quint8
{
    Fit,       // inside the box, aspect kept; never upscales unless Recipe::upscale
    Fill,      // cover the box, aspect kept, centre-cropped to exactly the box
    Exact,     // stretched to exactly the box
    LongEdge,  // the longer side becomes targetSize.width()
    ShortEdge, // the shorter side becomes targetSize.width()
    Percent    // both sides scaled by targetSize.width() percent
};

enum class OutputFormat : quint8
{
    Keep, // the input's format when it can be written (HEIC: JPEG), PNG otherwise
    Jpeg,
    Png,
    Webp,
    Avif,
    Jxl // JPEG XL
};

// What of the input's metadata (EXIF, XMP, IPTC, comments) goes into the output. The colour
// profile is not metadata here: it describes the pixels and is always written.
enum class MetadataPolicy : quint8
{
    Keep,   // everything, corrected for the output (orientation, pixel size, no stale thumbnail)
    Public, // what is safe to publish: no location, serial numbers, owner names, maker notes
    None    // nothing
};

// The colour space of the output's pixels.
enum class ColourPolicy : quint8
{
    Srgb, // converted from the input's profile to sRGB, written untagged (what viewers assume)
    Keep, // the input's pixels and profile as they are
    Strip // the input's pixels as they are, without the profile
};

enum class ConflictPolicy : quint8
{
    Rename, // "name (1).jpg"
    Overwrite,
    Skip
};

// Limits that protect the user from hostile or accidental inputs. 0 means "no limit".
struct InputLimits
{
    qint64 maxPixels = 100'000'000;                    // per decoded image, checked on the header
    qint64 maxEntryBytes = 512LL * 1024 * 1024;        // bytes inflated from one ZIP entry
    qint64 maxArchiveBytes = 8LL * 1024 * 1024 * 1024; // bytes inflated from one archive, in total
    qint64 maxArchiveEntries = 100'000;                // entries listed in one archive
    double maxCompressionRatio = 200.0;                // uncompressed / compressed, per entry
};

struct Recipe
{
    QSize targetSize{1600, 1600}; // the box; LongEdge/ShortEdge/Percent use width() only
    ResizeMode mode = ResizeMode::Fit;
    bool upscale = false; // Fit/LongEdge/ShortEdge: allow growing a smaller image
    OutputFormat format = OutputFormat::Keep;
    int quality = 85;         // 0..100, for lossy formats (not PNG, not lossless WebP)
    bool progressive = false; // progressive JPEG
    int pngCompression = 6;   // zlib level 0 (fastest, largest) .. 9 (smallest, slowest)
    bool lossless = false;    // WebP, JPEG XL: lossless instead of lossy at `quality`
    int effort = 0;           // AVIF, JPEG XL: 1 (fastest) .. 9 (smallest); 0: the format's default
    bool sharpen = false;     // a light unsharp mask after reducing (--sharpen)
    MetadataPolicy metadata = MetadataPolicy::Keep;
    ColourPolicy colour = ColourPolicy::Srgb;
    QString nameTemplate = QStringLiteral("{name}.{ext}");
    ConflictPolicy conflict = ConflictPolicy::Rename;
    bool mirrorTree = true; // false: every output lands directly in the output root
    bool keepDates = false; // outputs get their input's modification time (--keep-dates)
    InputLimits limits;

    // A stable digest (hex) of every setting that changes the pixels or bytes of an output:
    // size, mode, upscale, format, quality, progressive, metadata, colour, and the PNG compression,
    // lossless, effort and sharpen when they are not their defaults. Naming, conflicts and limits
    // are left out, so they can change without invalidating earlier outputs. Same on every platform
    // and every run; written into outputs for incremental runs.
    QString fingerprint() const;
};

// --- Parsing helpers (for the CLI and the GUI). On failure they return nullopt and, when
// `error` is given, set it to a sentence a person understands. ------------------------------

// "256" -> 256x256, "1600x1200" (also "1600X1200", "1600*1200") -> 1600x1200. Sides 1..65535.
std::optional<QSize> parseSize(const QString &text, QString *error = nullptr);
// "fit", "fill", "exact", "long-edge"/"long", "short-edge"/"short", "percent"/"%".
std::optional<ResizeMode> parseResizeMode(const QString &text, QString *error = nullptr);
// "keep", "jpg"/"jpeg", "png", "webp", "avif", "jxl".
std::optional<OutputFormat> parseOutputFormat(const QString &text, QString *error = nullptr);
// "rename", "overwrite", "skip".
std::optional<ConflictPolicy> parseConflictPolicy(const QString &text, QString *error = nullptr);
// "keep", "public", "none" (also "strip").
std::optional<MetadataPolicy> parseMetadataPolicy(const QString &text, QString *error = nullptr);
// "srgb", "keep", "strip" (--color).
std::optional<ColourPolicy> parseColourPolicy(const QString &text, QString *error = nullptr);
// A pixel limit: "100000000", "100M", "100MP", "250 mp", "0" (no limit).
std::optional<qint64> parsePixelLimit(const QString &text, QString *error = nullptr);
// "0".."100".
std::optional<int> parseQuality(const QString &text, QString *error = nullptr);

QString toString(ResizeMode mode);     // the canonical spelling parse*() accepts
QString toString(OutputFormat format); // "keep", "jpg", "png", "webp", "avif", "jxl"
QString toString(ConflictPolicy policy);
QString toString(MetadataPolicy policy); // "keep", "public", "none"
QString toString(ColourPolicy policy);   // "srgb", "keep", "strip"

// Sets process-wide Qt limits from the recipe (QImageReader::setAllocationLimit, sized from
// limits.maxPixels at 4 bytes per pixel plus headroom). Call once from main() of every entry
// point before any image is read; not thread-safe against concurrent image reads.
void applyProcessLimits(const Recipe &recipe);

} // namespace sluice
