/**
 * LL-HLS (draft-pantos-hls-rfc8216bis) for camflow's delivery and packager, in pure Java.
 *
 * <ul>
 *   <li>{@link io.camflow.media.hls.PartSchedule}: where the packager cuts parts and segments.
 *   <li>{@link io.camflow.media.hls.PlaylistWindow}: the live window, fed with published parts.
 *   <li>{@link io.camflow.media.hls.MediaPlaylist}: the immutable playlist and its text.
 *   <li>{@link io.camflow.media.hls.BlockingRequest}: {@code _HLS_msn}/{@code _HLS_part} parsing
 *       and the ready / wait / too-far decision for blocking playlist reloads.
 *   <li>{@link io.camflow.media.hls.HlsNames}: the URL names and their strict parser.
 * </ul>
 *
 * <p>See {@code docs/hls.md}.
 */
package io.camflow.media.hls;
