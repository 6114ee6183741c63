/** The device's position now, with its accuracy, or undefined (denied, unavailable, slow). */
export function currentPosition(
  timeoutMs = 10_000,
): Promise<{ lat: number; lng: number; accuracyM: number } | undefined> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) {
      resolve(undefined);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) =>
        resolve({
          lat: position.coords.latitude,
          lng: position.coords.longitude,
          // The API bounds accuracy to 100 km; a worse fix is still worth keeping as 100 km.
          accuracyM: Math.min(Math.round(position.coords.accuracy * 10) / 10, 100_000),
        }),
      () => resolve(undefined),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 15_000 },
    );
  });
}
