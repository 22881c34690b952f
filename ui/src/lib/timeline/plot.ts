// What the timeline's charts draw: each series of the depth chart (one per
// zone) and each panel of the score chart (one per scale) as points in
// pixels with what each point says and opens. The components only draw.
import type { ZoneGuide } from '../api/clinic';
import type { Photo, PhotoId } from '../api/photos';
import type { DepthSeries, FollowUpId, ScaleInfo, ScoreSeries, SessionId } from '../api/progress';
import { formatDate } from '../dates/calendar';
import { formatDepth } from '../sessions/depth';
import { dayNumber, linePath, scoreScale, scoreSpan, scoreTicks, seriesStyle } from './chart';
import type { Marker, Span } from './chart';
import { comparisonFor, sessionOptionLabel } from './entries';
import { formatScore, valueText } from './scores';

type SessionFacts = { local_date: string; course_position: number | null; course_length: number | null };

export type PlotPoint = {
  key: string;
  x: number;
  y: number;
  /** What the point's tooltip and screen-reader label say. */
  label: string;
  sessionId: SessionId | null;
  followUpId: FollowUpId | null;
  photoId: PhotoId | null;
  /** The before photo of the pair a score rates: the comparison to open is (comparedWith, photoId). */
  comparedWith: PhotoId | null;
  /** One stop in the Tab order per session (the first of its points), not one per zone. */
  focusable: boolean;
};

export type PlotSeries = {
  key: string;
  name: string;
  color: string;
  marker: Marker;
  points: PlotPoint[];
  path: string;
};

/** The zones in the clinic's order (zones no longer in the settings last, by name). */
export function orderedDepthSeries(series: readonly DepthSeries[], zones: readonly Pick<ZoneGuide, 'key'>[]): DepthSeries[] {
  const rank = (key: string) => {
    const index = zones.findIndex((z) => z.key === key);
    return index < 0 ? zones.length : index;
  };
  return [...series].sort((a, b) => rank(a.zone) - rank(b.zone) || a.zone_name.localeCompare(b.zone_name));
}

/**
 * The depth chart's lines, one per zone: each point at its session's date
 * and depth, saying "Cheeks 1 mm · 16 Jun 2026 · session 2 of 6".
 */
export function depthPlot(
  series: readonly DepthSeries[],
  sessions: ReadonlyMap<SessionId, SessionFacts>,
  x: (day: number) => number,
  y: (mm: number) => number,
  locale?: string,
): PlotSeries[] {
  const reached = new Set<SessionId>();
  return series.map((line, index) => {
    const style = seriesStyle(index);
    const points: PlotPoint[] = [];
    for (const point of line.points) {
      if (point.depth === null) continue;
      const session = sessions.get(point.session_id);
      const when = session ? sessionOptionLabel(session, locale) : formatDate(point.date, locale);
      points.push({
        key: `${line.zone}:${point.session_id}`,
        x: x(dayNumber(point.date)),
        y: y(point.depth),
        label: `${line.zone_name} ${formatDepth(point.depth)} · ${when}`,
        sessionId: point.session_id,
        followUpId: null,
        photoId: null,
        comparedWith: null,
        focusable: !reached.has(point.session_id),
      });
      reached.add(point.session_id);
    }
    return { key: line.zone, name: line.zone_name, ...style, points, path: linePath(points) };
  });
}

export type ScorePanel = PlotSeries & {
  scale: ScaleInfo;
  span: Span;
  ticks: { value: number; y: number; label: string }[];
  /** "Latest 2 (very improved)". */
  latest: string | null;
};

/**
 * One panel per scale, each on its own axis with the better result higher
 * (see `scoreScale`); a point opens its photo, else its session or visit.
 */
export function scorePanels(
  series: readonly ScoreSeries[],
  x: (day: number) => number,
  top: number,
  bottom: number,
  locale?: string,
): ScorePanel[] {
  return series.map((line, index) => {
    const info = line.scale;
    const span = scoreSpan(info, line.points.map((p) => p.value));
    const y = scoreScale(span, info.lower_is_better, top, bottom);
    const points: PlotPoint[] = [];
    const path: { x: number; y: number | null }[] = [];
    line.points.forEach((point, n) => {
      const px = x(dayNumber(point.date));
      if (point.value === null) {
        path.push({ x: px, y: null });
        return;
      }
      const py = y(point.value);
      path.push({ x: px, y: py });
      points.push({
        key: `${info.scale}:${n}`,
        x: px,
        y: py,
        label: `${info.name} ${valueText(point.value, info)} · ${formatDate(point.date, locale)}${point.photo_id ? ' · open the photo' : ''}`,
        sessionId: point.session_id,
        followUpId: point.follow_up_id,
        photoId: point.photo_id,
        comparedWith: point.compared_with,
        focusable: true,
      });
    });
    const last = [...line.points].reverse().find((p) => p.value !== null);
    return {
      key: info.scale,
      name: info.name,
      ...seriesStyle(index),
      points,
      path: linePath(path),
      scale: info,
      span,
      ticks: scoreTicks(span, info.step).map((value) => ({ value, y: y(value), label: formatScore(value, info) })),
      latest: last ? `Latest ${valueText(last.value, info)}` : null,
    };
  });
}

/**
 * The photos a point with a photo opens side by side: the very pair a score
 * rated (before, then after), else the photo against its best partner.
 */
export function pointComparison(
  point: Pick<PlotPoint, 'photoId' | 'comparedWith'>,
  photos: readonly Photo[],
): { first: PhotoId; second: PhotoId } | null {
  if (!point.photoId) return null;
  if (point.comparedWith) return { first: point.comparedWith, second: point.photoId };
  return comparisonFor(point.photoId, photos);
}
