// One call of the relay's admin API with the bench's admin token; anything but 2xx is an error.
export async function adminCall(relayUrl: string, adminToken: string, method: string, path: string): Promise<any> {
  const response = await fetch(relayUrl + path, { method, headers: { authorization: `Bearer ${adminToken}` } })
  if (!response.ok) throw new Error(`relay admin ${method} ${path} answered ${response.status}`)
  return response.json()
}
